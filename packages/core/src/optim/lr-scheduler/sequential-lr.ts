/** SequentialLR: hand over from one scheduler to the next at milestone epochs. */
import type { Optimizer } from '../optimizer.ts';
import type { LRScheduler, SchedulerStateDict } from './lr-scheduler.ts';

export interface SequentialLROptions {
  /** The schedulers, in order, all on the same optimizer. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over (one fewer than the schedulers). */
  milestones: readonly number[];
  /** The index of the last epoch when resuming (default -1). */
  lastEpoch?: number;
}

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
    const { schedulers, milestones } = options;
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

  loadStateDict(state: SequentialLRStateDict): void {
    this.lastEpoch = state.lastEpoch;
    this.lastLr = [...state.lastLr];
    state.schedulers.forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}
