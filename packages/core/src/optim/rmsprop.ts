/** RMSprop (torch.optim.RMSprop), optionally centered and with momentum. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface RMSpropOptions extends OptimizerOptions {
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance of the gradient instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `square_avg`, `momentum_buffer` (made when momentum > 0) and `grad_avg` (when centered). */
export type RMSpropState = { step: number; squareAvg: Tensor; momentumBuffer?: Tensor; gradAvg?: Tensor };

/**
 * RMSprop as in PyTorch: `p -= lr * g / (sqrt(v) + eps)` with `v` the running mean of `g^2`
 * (minus the squared running mean of `g` when centered); `lr` defaults to 0.01.
 * @example const opt = new flint.optim.RMSprop(params, { lr: 1e-3, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected validate(o: RMSpropOptions): void {
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.check(o.momentum >= 0, `Invalid momentum value: ${o.momentum}`);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
    this.check(o.alpha >= 0, `Invalid alpha value: ${o.alpha}`);
  }

  protected initState(param: Tensor): RMSpropState {
    return { step: 0, squareAvg: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RMSpropOptions>, state: RMSpropState): void {
    state.step++;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    state.squareAvg.mul_(group.alpha).add_(g.mul(g), { alpha: 1 - group.alpha });
    let avg = state.squareAvg;
    if (group.centered) {
      const gradAvg = (state.gradAvg ??= zerosLike(param));
      gradAvg.mul_(group.alpha).add_(g, { alpha: 1 - group.alpha });
      avg = avg.sub(gradAvg.mul(gradAvg));
    }
    avg = avg.sqrt().add(group.eps);
    if (group.momentum > 0) {
      const buf = (state.momentumBuffer ??= zerosLike(param));
      buf.mul_(group.momentum).add_(g.div(avg));
      param.add_(buf, { alpha: -group.lr });
    } else param.add_(g.div(avg), { alpha: -group.lr });
  }
}
