/** ChainedScheduler: several schedulers stepped together, their changes to the lr compounding. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, type SchedulerStateDict } from './lr-scheduler.ts';
import { checkSchedulerStates } from './scheduler-checks.ts';

export interface ChainedSchedulerStateDict {
  lastLr: number[];
  schedulers: SchedulerStateDict[];
}

/**
 * Steps every scheduler, in order, on each `step()`, as PyTorch's ChainedScheduler; each works
 * from the lr the previous one left, so chainable schedulers' factors multiply.
 * @example
 * const warmup = new ConstantLR(opt, { factor: 0.1, totalIters: 2 });
 * const decay = new ExponentialLR(opt, { gamma: 0.9 });
 * const scheduler = new ChainedScheduler([warmup, decay]);
 */
export class ChainedScheduler {
  readonly optimizer: Optimizer;
  readonly schedulers: readonly LRScheduler[];
  private lastLr: number[];

  constructor(schedulers: readonly LRScheduler[]) {
    if (!Array.isArray(schedulers) || !schedulers.every((s) => s instanceof LRScheduler)) {
      throw new TypeError('ChainedScheduler(): expects a list of LRScheduler instances');
    }
    if (schedulers.length === 0) throw new RangeError('ChainedScheduler(): expects at least one scheduler');
    const other = schedulers.findIndex((s) => s.optimizer !== schedulers[0]!.optimizer);
    if (other >= 0) {
      throw new Error(`ChainedScheduler(): ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${other} to be different`);
    }
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0]!.optimizer;
    this.lastLr = this.groupLrs();
  }

  /** Steps every scheduler once. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.groupLrs();
  }

  /** The learning rates after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): ChainedSchedulerStateDict {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Loads a {@link stateDict}; one with a missing or malformed entry (its schedulers' too) throws and loads nothing. */
  loadStateDict(state: ChainedSchedulerStateDict): void {
    checkSchedulerStates('ChainedScheduler.loadStateDict', state, [], this.schedulers, this.optimizer.paramGroups.length);
    this.lastLr = [...state.lastLr];
    state.schedulers.forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }

  private groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
