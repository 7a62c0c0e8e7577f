/** Adadelta (torch.optim.Adadelta). */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface AdadeltaOptions extends OptimizerOptions {
  /** Decay rate of the running averages of squared gradients and squared updates, in [0, 1] (default 0.9). */
  rho: number;
  /** Added inside both square roots for numerical stability (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `square_avg` and `acc_delta`. */
export type AdadeltaState = { step: number; squareAvg: Tensor; accDelta: Tensor };

/**
 * Adadelta as in PyTorch: the update `sqrt(u + eps) / sqrt(v + eps) * g`, with `v` and `u` running
 * means of the squared gradient and the squared update, scaled by `lr` (default 1).
 * @example const opt = new flint.optim.Adadelta(params, { rho: 0.95 });
 */
export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdadeltaOptions): void {
    this.check(o.rho >= 0 && o.rho <= 1, `Invalid rho value: ${o.rho}`);
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
  }

  protected initState(param: Tensor): AdadeltaState {
    return { step: 0, squareAvg: zerosLike(param), accDelta: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdadeltaOptions>, state: AdadeltaState): void {
    state.step++;
    const { rho, eps } = group;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    state.squareAvg.mul_(rho).add_(g.mul(g), { alpha: 1 - rho });
    const delta = state.accDelta.add(eps).sqrt().div(state.squareAvg.add(eps).sqrt()).mul(g);
    state.accDelta.mul_(rho).add_(delta.mul(delta), { alpha: 1 - rho });
    param.add_(delta, { alpha: -group.lr });
  }
}
