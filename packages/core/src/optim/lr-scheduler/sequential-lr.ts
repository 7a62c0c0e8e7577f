/** SequentialLR: hand over from one scheduler to the next at milestone epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkRequired, checkScheduler, checkSchedulerStates } from './scheduler-checks.ts';

export interface SequentialLROptions {
  /** The schedulers, in order, all on the same optimizer. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over (one fewer than the schedulers). */
  milestones: readonly number[];
  /** The index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

const SEQUENTIAL_LR_OPTIONS: OptionKeys<SequentialLROptions> = { schedulers: true, milestones: true, lastEpoch: true };

export interface SequentialLRStateDict {
  lastEpoch: number;
  lastLr: number[];
  schedulers: SchedulerStateDict[];
}

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` restarted at its epoch 0, and so
 * on, as PyTorch's SequentialLR.
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const scheduler = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [5] });
 */
export class SequentialLR {
  lastEpoch: number;
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];
  private lastLr: number[];

  constructor(
    readonly optimizer: Optimizer,
    options: SequentialLROptions,
  ) {
    checkScheduler('SequentialLR', optimizer, options, SEQUENTIAL_LR_OPTIONS);
    for (const name of ['schedulers', 'milestones'] as const) checkRequired('SequentialLR', options, name);
    const { schedulers, milestones } = options;
    if (!Array.isArray(schedulers) || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new TypeError('SequentialLR(): schedulers must be a list of LRScheduler instances (ReduceLROnPlateau cannot be sequenced)');
    }
    if (!Array.isArray(milestones) || !milestones.every((m, i) => Number.isInteger(m) && m > 0 && (i === 0 || m > milestones[i - 1]!))) {
      throw new RangeError(`SequentialLR(): milestones must be increasing positive integers, but got ${JSON.stringify(milestones)}`);
    }
    const other = schedulers.findIndex((s) => s.optimizer !== optimizer);
    if (other >= 0) {
      throw new Error(`SequentialLR(): Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${other} to be different than the optimizer passed in.`);
    }
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(`SequentialLR(): Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`);
    }
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    // Each scheduler already took its first step when it was built: undo those, and start the first again.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0]!.initialStep();
    this.lastLr = schedulers[0]!.getLastLr();
  }

  /** Advances one epoch on the scheduler whose turn it is. */
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** The learning rates the last step set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SequentialLRStateDict {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Loads a {@link stateDict}; one with a missing or malformed entry (its schedulers' too) throws and loads nothing. */
  loadStateDict(state: SequentialLRStateDict): void {
    checkSchedulerStates('SequentialLR.loadStateDict', state, ['lastEpoch'], this.schedulers, this.optimizer.paramGroups.length);
    this.lastEpoch = state.lastEpoch;
    this.lastLr = [...state.lastLr];
    state.schedulers.forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}
