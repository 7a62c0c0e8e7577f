/**
 * Spectral normalisation, as PyTorch 1.13's torch.nn.utils.spectral_norm: a parameter `w` is
 * divided by its largest singular value, estimated by power iteration on the matrix `w` makes
 * with `dim` first; the vectors `u` and `v` persist as buffers and are refined only in training.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { randn } from '../../ops/creation.ts';
import { div, mul } from '../../ops/elementwise.ts';
import { sum } from '../../ops/reduce.ts';
import { matmul } from '../../ops/linalg.ts';
import { normalize } from '../../ops/norm.ts';
import { clone, detach, permute, reshape, transpose } from '../../ops/view.ts';
import { normalizeDim } from '../../tensor/shape.ts';
import type { Module } from '../module.ts';
import { Parameter } from '../parameter.ts';
import { ConvTranspose1d, ConvTranspose2d } from '../layers/conv.ts';
import { Reparametrization, members, parameterOf, register, unregister } from './reparametrization.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { REMOVE_NORM_OPTIONS, type RemoveNormOptions } from './weight-norm.ts';

export interface SpectralNormOptions {
  /** The parameter to normalise; default 'weight'. */
  name?: string;
  /** Power iterations per training forward; default 1. */
  nPowerIterations?: number;
  /** Added to norms before dividing by them; default 1e-12. */
  eps?: number;
  /** The dim of the output channels: 1 for ConvTranspose modules, else 0 (the default when omitted or null). */
  dim?: number | null;
}

const SPECTRAL_NORM_OPTIONS: OptionKeys<SpectralNormOptions> = { name: true, nPowerIterations: true, eps: true, dim: true };

class SpectralNorm extends Reparametrization {
  constructor(module: Module, name: string, weight: Parameter, readonly nPowerIterations: number, readonly dim: number, readonly eps: number) {
    super(module, name);
    const [u, v] = tidy(() => {
      const [h, w] = this.matrix(weight).shape as [number, number];
      const on = { device: weight.device };
      return [this.unit(randn([h], on)), this.unit(randn([w], on))];
    });
    const m = members(module);
    // The same parameter object moves to `${name}_orig`, after the module's other parameters.
    delete m[name];
    m[`${name}_orig`] = weight;
    this.setValue(detach(weight), true);
    module.registerBuffer(`${name}_u`, u);
    module.registerBuffer(`${name}_v`, v);
    this.attach();
  }

  /** The weight with `dim` first, flattened to a matrix (PyTorch's reshape_weight_to_matrix). */
  private matrix(weight: Tensor): Tensor {
    const moved = this.dim === 0 ? weight : permute(weight, [this.dim, ...weight.shape.map((_, d) => d).filter((d) => d !== this.dim)]);
    return reshape(moved, [moved.shape[0]!, -1]);
  }

  private unit(x: Tensor): Tensor {
    return normalize(x, { dim: 0, eps: this.eps });
  }

  protected compute(training: boolean): Tensor {
    const m = members(this.module);
    const weight = m[`${this.name}_orig`] as Tensor;
    let u = m[`${this.name}_u`] as Tensor;
    let v = m[`${this.name}_v`] as Tensor;
    return tidy(() => {
      const mat = this.matrix(weight);
      if (training) {
        noGrad(() => {
          for (let i = 0; i < this.nPowerIterations; i++) {
            tidy(() => {
              v.copy_(this.unit(matmul(transpose(mat, 0, 1), u)));
              u.copy_(this.unit(matmul(mat, v)));
            });
          }
        });
        // The graph keeps copies: the next training forward overwrites the buffers in place.
        u = clone(u);
        v = clone(v);
      }
      const sigma = sum(mul(u, matmul(mat, v)));
      return div(weight, sigma);
    });
  }

  protected replacements(): { parameters: string[]; buffers: string[] } {
    return { parameters: [`${this.name}_orig`], buffers: [`${this.name}_u`, `${this.name}_v`] };
  }
}

/**
 * Applies spectral normalisation to `module`'s parameter `name` (PyTorch 1.13's spectral_norm):
 * the parameter object moves to `${name}_orig` (state-dict keys `weight_orig`, `weight_u`,
 * `weight_v`), and `module[name]` becomes `${name}_orig / sigma` before each forward, where sigma
 * is `u · (W v)`; in training each forward first runs `nPowerIterations` power iterations on the
 * buffers `u` and `v` (without autograd), in eval it uses them as they are. `u` and `v` start as
 * normalised draws from the default generator. Until the first forward `module[name]` is the raw
 * weight, as in PyTorch. The parameter object stays the same (now `${name}_orig`), so optimizers
 * built before keep working. Returns the module.
 * @example const lin = nn.utils.spectralNorm(new nn.Linear(20, 40)); lin.forward(x); // lin.weight has largest singular value ≈ 1
 */
export function spectralNorm<M extends Module>(module: M, options: SpectralNormOptions = {}): M {
  checkOptions('spectralNorm', options, SPECTRAL_NORM_OPTIONS);
  const name = options.name ?? 'weight';
  const nPowerIterations = options.nPowerIterations ?? 1;
  if (!(nPowerIterations > 0)) throw new RangeError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
  register('spectral_norm', module, name, () => {
    const weight = parameterOf(module, name);
    const dim = options.dim ?? (module instanceof ConvTranspose1d || module instanceof ConvTranspose2d ? 1 : 0);
    return new SpectralNorm(module, name, weight, nPowerIterations, normalizeDim('spectralNorm', dim, weight.ndim), options.eps ?? 1e-12);
  });
  return module;
}

/**
 * Undoes {@link spectralNorm}: `module[name]` becomes a new plain parameter with the current
 * normalised value (no power iteration); `${name}_orig` and the buffers are disposed. Returns the module.
 */
export function removeSpectralNorm<M extends Module>(module: M, options: RemoveNormOptions = {}): M {
  checkOptions('removeSpectralNorm', options, REMOVE_NORM_OPTIONS);
  unregister('spectral_norm', module, options.name ?? 'weight');
  return module;
}
