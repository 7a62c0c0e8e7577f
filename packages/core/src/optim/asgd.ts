/** ASGD (torch.optim.ASGD): SGD with a decaying step and a running average of the iterates. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface ASGDOptions extends OptimizerOptions {
  /** Decay term (default 1e-4). */
  lambd: number;
  /** Power of the step's decay, `eta = lr / (1 + lambd lr t)^alpha` (default 0.75). */
  alpha: number;
  /** The step from which the average starts (default 1e6). */
  t0: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `eta` (the current step size), `mu` (the averaging weight) and `ax` (the averaged parameter). */
export type ASGDState = { step: number; eta: number; mu: number; ax: Tensor };

/** torch keeps `eta` and `mu` as float32 scalar tensors. */
const f32 = Math.fround;

/**
 * Averaged SGD as in PyTorch; `lr` defaults to 0.01. The average of the iterates is the state's `ax`.
 * @example const opt = new flint.optim.ASGD(params, { lr: 0.01, t0: 100 });
 */
export class ASGD extends Optimizer<ASGDOptions, ASGDState> {
  constructor(params: Params<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super('ASGD', params, { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: ASGDOptions): void {
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
  }

  protected initState(param: Tensor, group: ParamGroup<ASGDOptions>): ASGDState {
    return { step: 0, eta: f32(group.lr), mu: 1, ax: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<ASGDOptions>, state: ASGDState): void {
    const step = ++state.step;
    const { lr, lambd } = group;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    param.mul_(1 - lambd * state.eta);
    param.add_(g, { alpha: -state.eta });
    if (state.mu !== 1) state.ax.add_(param.sub(state.ax).mul(state.mu));
    else state.ax.copy_(param);
    state.eta = f32(lr / (1 + lambd * lr * step) ** group.alpha);
    state.mu = f32(1 / Math.max(1, step - group.t0));
  }
}
