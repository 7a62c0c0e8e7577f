/** Adamax (torch.optim.Adamax): Adam with the infinity norm in place of the second moment. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface AdamaxOptions extends OptimizerOptions {
  /** Decay rates of the gradient's running mean and of the running maximum (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to `|g|` before taking the maximum, for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `exp_avg` and `exp_inf`. */
export type AdamaxState = { step: number; expAvg: Tensor; expInf: Tensor };

/**
 * Adamax as in PyTorch: `u = max(beta2 * u, |g| + eps)`, `p -= lr / (1 - beta1^t) * m / u`;
 * `lr` defaults to 2e-3.
 * @example const opt = new flint.optim.Adamax(params, { lr: 2e-3 });
 */
export class Adamax extends Optimizer<AdamaxOptions, AdamaxState> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super('Adamax', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdamaxOptions): void {
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.checkBetas(o.betas);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
  }

  protected initState(param: Tensor): AdamaxState {
    return { step: 0, expAvg: zerosLike(param), expInf: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamaxOptions>, state: AdamaxState): void {
    const step = ++state.step;
    const [beta1, beta2] = group.betas;
    let g = group.maximize ? grad.neg() : grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    state.expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    state.expInf.copy_(state.expInf.mul(beta2).maximum(g.abs().add(group.eps)));
    param.add_(state.expAvg.div(state.expInf), { alpha: -group.lr / (1 - beta1 ** step) });
  }
}
