/** Rprop (torch.optim.Rprop): per-element step sizes adapted from the gradient's sign alone. */
import type { Tensor } from '../tensor/tensor.ts';
import { fullLike, zerosLike } from '../ops/creation.ts';
import { Optimizer, type OptimizerOptions, type ParamGroup, type Params } from './optimizer.ts';

export interface RpropOptions extends OptimizerOptions {
  /** Step-size factors when the gradient's sign flips and when it holds, `0 < etaminus < 1 < etaplus` (default [0.5, 1.2]). */
  etas: readonly [number, number];
  /** The step sizes' bounds (default [1e-6, 50]); torch's `step_sizes`. */
  stepSizes: readonly [number, number];
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** torch's `step`, `prev` (the last gradient used) and `step_size`. */
export type RpropState = { step: number; prev: Tensor; stepSize: Tensor };

/**
 * Rprop as in PyTorch: each element's step size starts at `lr` (default 0.01), grows by `etaplus`
 * while its gradient keeps its sign and shrinks by `etaminus` when it flips (skipping that
 * element's update); the parameter moves by its step size against the gradient's sign.
 * @example const opt = new flint.optim.Rprop(params, { lr: 0.01, etas: [0.5, 1.2] });
 */
export class Rprop extends Optimizer<RpropOptions, RpropState> {
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super('Rprop', params, { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }, options);
  }

  protected validate(o: RpropOptions): void {
    const [etaminus, etaplus] = o.etas;
    this.check(etaminus > 0 && etaminus < 1 && etaplus > 1, `Invalid eta values: ${etaminus}, ${etaplus}`);
  }

  protected initState(param: Tensor, group: ParamGroup<RpropOptions>): RpropState {
    return { step: 0, prev: zerosLike(param), stepSize: fullLike(param, group.lr) };
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<RpropOptions>, state: RpropState): void {
    state.step++;
    const [etaminus, etaplus] = group.etas;
    const [min, max] = group.stepSizes;
    const g = group.maximize ? grad.neg() : grad;
    const agreement = g.mul(state.prev).sign();
    const flipped = agreement.lt(0);
    const factor = fullLike(param, 1).maskedFill(agreement.gt(0), etaplus).maskedFill(flipped, etaminus);
    state.stepSize.mul_(factor).clamp_(min, max);
    const used = g.maskedFill(flipped, 0);
    param.sub_(used.sign().mul(state.stepSize));
    state.prev.copy_(used);
  }
}
