/** RAdam (torch.optim.RAdam): Adam with the variance of its adaptive rate rectified. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface RAdamOptions extends OptimizerOptions {
  /** Decay rates of the gradient's running mean and running squared mean (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
}

/** torch's `step`, `exp_avg` and `exp_avg_sq`. */
export type RAdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor };

/**
 * RAdam as in PyTorch 1.13 (which has no `maximize` or decoupled decay for it): plain momentum
 * steps while the variance estimate is unreliable (`rho_t <= 5`), rectified Adam steps after;
 * `lr` defaults to 1e-3.
 * @example const opt = new flint.optim.RAdam(params, { lr: 1e-3 });
 */
export class RAdam extends Optimizer<RAdamOptions, RAdamState> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super('RAdam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }, options);
  }

  protected validate(o: RAdamOptions): void {
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.checkBetas(o.betas);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
  }

  protected initState(param: Tensor): RAdamState {
    return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RAdamOptions>, state: RAdamState): void {
    const step = ++state.step;
    const [beta1, beta2] = group.betas;
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    let g = grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    state.expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    state.expAvgSq.mul_(beta2).add_(g.mul(g), { alpha: 1 - beta2 });
    const corrected = state.expAvg.div(biasCorrection1).mul(group.lr);
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptiveLr = state.expAvgSq.sqrt().add(group.eps).reciprocal().mul(Math.sqrt(biasCorrection2));
      param.sub_(corrected.mul(adaptiveLr).mul(rect));
    } else param.sub_(corrected);
  }
}
