/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (torch.optim.SGD). */
import type { SgdHyper } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { emptyLike } from '../ops/creation.ts';
import { writeInPlace } from '../ops/inplace.ts';
import { fusedStepFor } from './fused.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening for momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Nesterov momentum (default false); needs momentum > 0 and zero dampening. */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** `momentumBuffer` is torch's `momentum_buffer`, made on the first step that uses momentum. */
export type SGDState = { momentumBuffer?: Tensor };

function hyper(g: SGDOptions, newBuffer: boolean): SgdHyper {
  return { lr: g.lr, momentum: g.momentum, dampening: g.dampening, weightDecay: g.weightDecay, nesterov: g.nesterov, maximize: g.maximize, newBuffer };
}

/**
 * SGD as in PyTorch: `v = momentum * v + (1 - dampening) * g` (the first step takes `v = g`), then
 * `p -= lr * v` (or `lr * (g + momentum * v)` with Nesterov). `lr` has no default.
 * @example const opt = new flint.optim.SGD(params, { lr: 0.1, momentum: 0.9, nesterov: true });
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & Pick<SGDOptions, 'lr'>) {
    super('SGD', params, { lr: options.lr, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }

  protected validate(o: SGDOptions): void {
    this.check(o.momentum >= 0, `Invalid momentum value: ${o.momentum}`);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
    this.check(!o.nesterov || (o.momentum > 0 && o.dampening === 0), 'Nesterov momentum requires a momentum and zero dampening');
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: SGDState): void {
    const momentum = group.momentum !== 0;
    const fused = fusedStepFor('sgdStep', [param, grad, momentum ? state.momentumBuffer : undefined]);
    if (fused) {
      const newBuffer = momentum && !state.momentumBuffer;
      // The kernel fills a new buffer with the first step's direction, as clone() does below.
      if (newBuffer) state.momentumBuffer = emptyLike(param);
      const buf = momentum ? state.momentumBuffer : undefined;
      writeInPlace(this.name, buf ? [param, buf] : [param], () => fused.sgdStep(param.layout, grad.layout, buf?.layout, hyper(group, newBuffer)));
      return;
    }
    let d = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) d = d.add(param, { alpha: group.weightDecay });
    if (group.momentum !== 0) {
      const buf = state.momentumBuffer;
      if (buf) buf.mul_(group.momentum).add_(d, { alpha: 1 - group.dampening });
      else state.momentumBuffer = d.clone();
      d = group.nesterov ? d.add(state.momentumBuffer!, { alpha: group.momentum }) : state.momentumBuffer!;
    }
    param.add_(d, { alpha: -group.lr });
  }
}
