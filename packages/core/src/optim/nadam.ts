/** NAdam (torch.optim.NAdam): Adam with Nesterov momentum and a momentum schedule. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface NAdamOptions extends OptimizerOptions {
  /** Decay rates of the gradient's running mean and running squared mean (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0); torch's `weight_decay`. */
  weightDecay: number;
  /** How fast the momentum `mu_t = beta1 (1 - 0.96^(t momentumDecay) / 2)` rises (default 4e-3); torch's `momentum_decay`. */
  momentumDecay: number;
}

/** torch's `step`, `mu_product`, `exp_avg` and `exp_avg_sq`. */
export type NAdamState = { step: number; muProduct: number; expAvg: Tensor; expAvgSq: Tensor };

const f32 = Math.fround;

/**
 * NAdam as in PyTorch 1.13 (which has no `maximize` for it); `lr` defaults to 2e-3.
 * @example const opt = new flint.optim.NAdam(params, { lr: 2e-3, momentumDecay: 4e-3 });
 */
export class NAdam extends Optimizer<NAdamOptions, NAdamState> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super('NAdam', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 }, options);
  }

  protected validate(o: NAdamOptions): void {
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.checkBetas(o.betas);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
    this.check(o.momentumDecay >= 0, `Invalid momentumDecay value: ${o.momentumDecay}`);
  }

  protected initState(param: Tensor): NAdamState {
    return { step: 0, muProduct: 1, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<NAdamOptions>, state: NAdamState): void {
    const step = ++state.step;
    const [beta1, beta2] = group.betas;
    let g = grad;
    if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * group.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * group.momentumDecay));
    // torch keeps the product as a float32 tensor, so it is rounded to float32 at each product.
    state.muProduct = f32(state.muProduct * f32(mu));
    const muProductNext = f32(f32(state.muProduct * f32(mu)) * f32(muNext));
    state.expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    state.expAvgSq.mul_(beta2).add_(g.mul(g), { alpha: 1 - beta2 });
    const denom = state.expAvgSq.div(1 - beta2 ** step).sqrt().add(group.eps);
    param.add_(g.div(denom), { alpha: (-group.lr * (1 - mu)) / (1 - state.muProduct) });
    param.add_(state.expAvg.div(denom), { alpha: (-group.lr * muNext) / (1 - muProductNext) });
  }
}
