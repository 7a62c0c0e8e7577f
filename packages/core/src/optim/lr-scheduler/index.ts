/** Learning-rate schedulers (torch.optim.lr_scheduler): they set `lr` on an optimizer's parameter groups. */
export { LRScheduler, type SchedulerOptions, type SchedulerStateDict } from './lr-scheduler.ts';
export { StepLR, type StepLROptions } from './step-lr.ts';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.ts';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.ts';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.ts';
export { LinearLR, type LinearLROptions } from './linear-lr.ts';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './lambda-lr.ts';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.ts';
export { SequentialLR, type SequentialLROptions, type SequentialLRStateDict } from './sequential-lr.ts';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict } from './reduce-lr-on-plateau.ts';
export { ConstantLR, type ConstantLROptions } from './constant-lr.ts';
export { PolynomialLR, type PolynomialLROptions } from './polynomial-lr.ts';
export { MultiplicativeLR, type MultiplicativeLROptions } from './multiplicative-lr.ts';
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions, type CosineAnnealingWarmRestartsStateDict } from './cosine-annealing-warm-restarts.ts';
export { CyclicLR, type CyclicLROptions } from './cyclic-lr.ts';
export { ChainedScheduler, type ChainedSchedulerStateDict } from './chained-scheduler.ts';
