/** Adagrad (torch.optim.Adagrad). */
import type { Tensor } from '../tensor/tensor.ts';
import { fullLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface AdagradOptions extends OptimizerOptions {
  /** The step size shrinks as `lr / (1 + (step - 1) * lrDecay)` (default 0); torch's `lr_decay`. */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (default 0); torch's `initial_accumulator_value`. */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step` and `sum`. */
export type AdagradState = { step: number; sum: Tensor };

/**
 * Adagrad as in PyTorch: `p -= clr * g / (sqrt(sum of g^2) + eps)`; `lr` defaults to 0.01. Unlike
 * torch, which fills the accumulator when the optimizer is built, flint fills it on a parameter's
 * first step, from that parameter's group.
 * @example const opt = new flint.optim.Adagrad(params, { lr: 0.1, initialAccumulatorValue: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
  }

  protected validate(o: AdagradOptions): void {
    this.check(o.lrDecay >= 0, `Invalid lrDecay value: ${o.lrDecay}`);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
    this.check(o.initialAccumulatorValue >= 0, `Invalid initialAccumulatorValue value: ${o.initialAccumulatorValue}`);
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: fullLike(param, group.initialAccumulatorValue) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdagradOptions>, state: AdagradState): void {
    const step = ++state.step;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    const clr = group.lr / (1 + (step - 1) * group.lrDecay);
    state.sum.add_(g.mul(g));
    param.add_(g.div(state.sum.sqrt().add(group.eps)), { alpha: -clr });
  }
}
