/**
 * Optimizers and learning-rate schedulers, as torch.optim with camelCase names: options such as
 * `weightDecay` (torch's `weight_decay`), methods such as `zeroGrad()` and `stateDict()`.
 * @example
 * const opt = new flint.optim.Adam(params, { lr: 1e-3 });
 * const scheduler = new flint.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: epochs });
 */
export {
  Optimizer, type OptimizerOptions, type OptimizerStateDict, type ParamGroup, type ParamGroupInput, type Params, type ParamState,
  type ScheduledGroupFields,
} from './optimizer.ts';
export { SGD, type SGDOptions, type SGDState } from './sgd.ts';
export { Adam } from './adam.ts';
export { AdamW, type AdamWOptions } from './adamw.ts';
export type { AdamOptions, AdamState } from './adam-family.ts';
export { RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop.ts';
export { Adagrad, type AdagradOptions, type AdagradState } from './adagrad.ts';
export { Adadelta, type AdadeltaOptions, type AdadeltaState } from './adadelta.ts';
export { Adamax, type AdamaxOptions, type AdamaxState } from './adamax.ts';
export { NAdam, type NAdamOptions, type NAdamState } from './nadam.ts';
export { RAdam, type RAdamOptions, type RAdamState } from './radam.ts';
export { Rprop, type RpropOptions, type RpropState } from './rprop.ts';
export { ASGD, type ASGDOptions, type ASGDState } from './asgd.ts';
export { LBFGS, type LBFGSOptions, type LBFGSState } from './lbfgs.ts';
export type { Closure as LBFGSClosure } from './lbfgs-driver.ts';
export * as lrScheduler from './lr-scheduler/index.ts';
