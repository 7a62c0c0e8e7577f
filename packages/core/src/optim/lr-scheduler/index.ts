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
