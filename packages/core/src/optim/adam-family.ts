/** The update Adam and AdamW share; they differ only in how weight decay is applied. */
import type { Tensor } from '../tensor/tensor.ts';
import { zerosLike } from '../ops/creation.ts';
import { writeInPlace } from '../ops/inplace.ts';
import { fusedStepFor } from './fused.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup } from './optimizer.ts';

export interface AdamOptions extends OptimizerOptions {
  /** Decay rates of the gradient's running mean and running squared mean (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Weight decay (Adam: L2 penalty on the gradient; AdamW: decoupled); torch's `weight_decay`. */
  weightDecay: number;
  /** Use the AMSGrad variant, normalizing by the running maximum of the squared mean (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `exp_avg`, `exp_avg_sq` and `max_exp_avg_sq` (made when amsgrad is on). */
export type AdamState = { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor };

/** Adam's moments and bias-corrected step; the subclass says how weight decay applies. */
export abstract class AdamFamily extends Optimizer<AdamOptions, AdamState> {
  /** AdamW's decoupled decay (`p *= 1 - lr * weightDecay`) rather than Adam's L2 term on the gradient. */
  protected abstract readonly decoupled: boolean;

  protected validate(o: AdamOptions): void {
    this.check(o.eps >= 0, `Invalid epsilon value: ${o.eps}`);
    this.checkBetas(o.betas);
    this.check(o.weightDecay >= 0, `Invalid weightDecay value: ${o.weightDecay}`);
  }

  protected initState(param: Tensor): AdamState {
    return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: AdamState): void {
    const [beta1, beta2] = group.betas;
    const max = group.amsgrad ? state.maxExpAvgSq : undefined;
    const fused = fusedStepFor('adamStep', [param, grad, state.expAvg, state.expAvgSq, max]);
    const step = ++state.step;
    if (fused) {
      const vmax = group.amsgrad ? (state.maxExpAvgSq ??= zerosLike(param)) : undefined;
      const written = [param, state.expAvg, state.expAvgSq, ...(vmax ? [vmax] : [])];
      const hyper = { lr: group.lr, beta1, beta2, eps: group.eps, weightDecay: group.weightDecay, decoupled: this.decoupled, maximize: group.maximize, step };
      writeInPlace(this.name, written, () => fused.adamStep(param.layout, grad.layout, state.expAvg.layout, state.expAvgSq.layout, vmax?.layout, hyper));
      return;
    }
    let g = group.maximize ? grad.neg() : grad;
    if (this.decoupled) param.mul_(1 - group.lr * group.weightDecay);
    else if (group.weightDecay !== 0) g = g.add(param, { alpha: group.weightDecay });
    state.expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    state.expAvgSq.mul_(beta2).add_(g.mul(g), { alpha: 1 - beta2 });
    const stepSize = group.lr / (1 - beta1 ** step);
    let second = state.expAvgSq;
    if (group.amsgrad) {
      const vmax = (state.maxExpAvgSq ??= zerosLike(param));
      second = vmax.copy_(vmax.maximum(state.expAvgSq));
    }
    // PyTorch's order: sqrt(v) / sqrt(bias_correction2), then eps, so eps is not bias-corrected.
    const denom = second.sqrt().div(Math.sqrt(1 - beta2 ** step)).add(group.eps);
    param.add_(state.expAvg.div(denom), { alpha: -stepSize });
  }
}
