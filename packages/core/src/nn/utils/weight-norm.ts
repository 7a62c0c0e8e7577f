/**
 * Weight normalisation, as PyTorch 1.13's torch.nn.utils.weight_norm: a parameter `w` becomes
 * `w_g` (its norm over every dim but `dim`) and `w_v` (its direction), and `w = w_v * w_g / ||w_v||`
 * is recomputed before each forward.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { norm } from '../../ops/norm.ts';
import { div, mul } from '../../ops/elementwise.ts';
import { reshape, transpose } from '../../ops/view.ts';
import { normalizeDim } from '../../tensor/shape.ts';
import type { Module } from '../module.ts';
import { Parameter } from '../parameter.ts';
import { Reparametrization, members, parameterOf, register, unregister } from './reparametrization.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

/** removeWeightNorm's and removeSpectralNorm's options. */
export interface RemoveNormOptions {
  /** The reparametrized parameter (default 'weight'). */
  name?: string;
}

export const REMOVE_NORM_OPTIONS: OptionKeys<RemoveNormOptions> = { name: true };

export interface WeightNormOptions {
  /** The parameter to reparametrize; default 'weight'. */
  name?: string;
  /** The dim whose slices keep their own norm; null (or -1, as in PyTorch) for one norm over the whole tensor. Default 0. */
  dim?: number | null;
}

const WEIGHT_NORM_OPTIONS: OptionKeys<WeightNormOptions> = { name: true, dim: true };

/**
 * PyTorch's norm_except_dim(v, 2, dim): the 2-norm over every dim but `dim`, shaped to broadcast
 * against `v` (size 1 in every other dim); for dim -1 the norm of the whole tensor (0-d).
 */
function normExceptDim(v: Tensor, dim: number): Tensor {
  if (dim === -1) return norm(v);
  return tidy(() => {
    const front = dim === 0 ? v : transpose(v, 0, dim);
    const norms = norm(reshape(front, [front.shape[0]!, -1]), 2, 1);
    return reshape(norms, v.shape.map((n, d) => (d === dim ? n : 1)));
  });
}

class WeightNorm extends Reparametrization {
  constructor(module: Module, name: string, weight: Parameter, readonly dim: number) {
    super(module, name);
    const m = members(module);
    const g = noGrad(() => normExceptDim(weight, dim));
    m[`${name}_g`] = new Parameter(g);
    g.dispose();
    // weight_v takes over the weight's storage, as Parameter(weight.data) does.
    m[`${name}_v`] = new Parameter(weight);
    weight.dispose();
    // Without history until the first forward recomputes it, so that no graph holds on to it.
    this.setValue(noGrad(() => this.compute()), true);
    this.attach();
  }

  protected compute(): Tensor {
    const m = members(this.module);
    const g = m[`${this.name}_g`] as Tensor;
    const v = m[`${this.name}_v`] as Tensor;
    return tidy(() => mul(v, div(g, normExceptDim(v, this.dim))));
  }

  protected replacements(): { parameters: string[]; buffers: string[] } {
    return { parameters: [`${this.name}_g`, `${this.name}_v`], buffers: [] };
  }
}

/**
 * Applies weight normalisation to `module`'s parameter `name` (PyTorch 1.13's weight_norm):
 * parameters `${name}_g` and `${name}_v` (state-dict keys `weight_g`, `weight_v`) replace it, and
 * `module[name]` is recomputed from them before each forward (a tensor with history, freed with
 * the forward's `tidy`; the value set here has no history). The old parameter object is disposed:
 * build optimizers after this call. Returns the module.
 * @example const conv = nn.utils.weightNorm(new nn.Conv2d(3, 8, 3)); conv.namedParameters().map(([n]) => n); // ['bias', 'weight_g', 'weight_v']
 */
export function weightNorm<M extends Module>(module: M, options: WeightNormOptions = {}): M {
  checkOptions('weightNorm', options, WEIGHT_NORM_OPTIONS);
  const name = options.name ?? 'weight';
  register('weight_norm', module, name, () => {
    const weight = parameterOf(module, name);
    const dim = options.dim === null || options.dim === undefined ? 0 : options.dim;
    return new WeightNorm(module, name, weight, dim === -1 || options.dim === null ? -1 : normalizeDim('weightNorm', dim, weight.ndim));
  });
  return module;
}

/**
 * Undoes {@link weightNorm}: `module[name]` becomes a new plain parameter with the current value;
 * `${name}_g` and `${name}_v` are disposed. Returns the module.
 */
export function removeWeightNorm<M extends Module>(module: M, options: RemoveNormOptions = {}): M {
  checkOptions('removeWeightNorm', options, REMOVE_NORM_OPTIONS);
  unregister('weight_norm', module, options.name ?? 'weight');
  return module;
}
