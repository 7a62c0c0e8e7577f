/** StepLR: decay by `gamma` every `stepSize` epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';

export interface StepLROptions extends SchedulerOptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative factor of each decay (default 0.1). */
  gamma?: number;
}

const STEP_LR_OPTIONS: OptionKeys<StepLROptions> = { ...SCHEDULER_OPTIONS, stepSize: true, gamma: true };

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs.
 * @example new flint.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 }); // lr 0.05, then 0.005 from epoch 30, 0.0005 from 60
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    checkScheduler('StepLR', optimizer, options, STEP_LR_OPTIONS);
    checkRequired('StepLR', options, 'stepSize');
    checkCount('StepLR', 'stepSize', options.stepSize);
    checkFinite('StepLR', 'gamma', options.gamma ?? 0.1);
    super(optimizer, options.lastEpoch);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const decays = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.groupLrs().map((lr) => (decays ? lr * this.gamma : lr));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
