/** The base of the epoch-driven schedulers (torch's _LRScheduler): they set `lr` on the optimizer's groups. */
import type { Optimizer, ParamGroup } from '../optimizer.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkOptimizer, checkState } from './scheduler-checks.ts';

/** A scheduler's progress (its options are not saved: build it with the same ones, then load). */
export interface SchedulerStateDict {
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
}

/** Options every epoch-driven scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default -1: start afresh). */
  lastEpoch?: number;
}

export const SCHEDULER_OPTIONS: OptionKeys<SchedulerOptions> = { lastEpoch: true };

/**
 * Base class of the learning-rate schedulers. Like PyTorch's, a scheduler sets each group's `lr`
 * when it is built (epoch 0) and again on every `step()`, from the current group lr (the
 * "chainable" form), so schedulers can be combined. Subclasses end their constructor with
 * {@link initialStep}, once their own fields are set.
 * @example
 * const scheduler = new flint.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train(opt);
 *   scheduler.step();
 * }
 */
export abstract class LRScheduler {
  /** The epoch of the last `step()` (0 right after construction). */
  lastEpoch: number;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** `step()` calls so far, counting the one in the constructor (CosineAnnealingLR reads it). */
  protected stepCount = 0;
  private lastLr: number[] = [];

  constructor(
    readonly optimizer: Optimizer,
    lastEpoch = -1,
  ) {
    checkOptimizer(new.target.name, optimizer);
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) for (const g of groups) g.initialLr ??= g.lr;
    else {
      const missing = groups.findIndex((g) => g.initialLr === undefined);
      if (missing >= 0) throw new Error(`LRScheduler(): param 'initialLr' is not specified in paramGroups[${missing}] when resuming an optimizer`);
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** Each group's learning rate at `lastEpoch`, from the groups' current values. */
  protected abstract getLr(): number[];

  /** The learning rates at `lastEpoch` computed directly, for jumps; by default the chainable form. */
  protected closedFormLr(): number[] {
    return this.getLr();
  }

  /** @internal The first step, run by each constructor and by SequentialLR (torch's _initial_step). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances one epoch and sets the groups' learning rates. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** @internal Jumps to `epoch` with the closed form, as SequentialLR does at a milestone (torch's step(epoch)). */
  stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr());
  }

  /** The learning rates the last step set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /** Loads a {@link stateDict}; one with a missing or malformed entry throws and loads nothing. */
  loadStateDict(state: SchedulerStateDict): void {
    this.checkStateDict(state);
    this.lastEpoch = state.lastEpoch;
    this.stepCount = state.stepCount;
    this.baseLrs = [...state.baseLrs];
    this.lastLr = [...state.lastLr];
  }

  /** @internal Throws unless `state` is a state dict this scheduler can load (SequentialLR checks every one before loading any). */
  checkStateDict(state: SchedulerStateDict): void {
    checkState(`${this.constructor.name}.loadStateDict`, state, ['lastEpoch', 'stepCount'], ['baseLrs', 'lastLr'], this.groups.length);
  }

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }

  /** The groups' current learning rates. */
  protected groupLrs(): number[] {
    return this.groups.map((g) => g.lr);
  }

  private apply(lrs: number[]): void {
    this.groups.forEach((g, i) => {
      g.lr = lrs[i]!;
    });
    this.lastLr = this.groupLrs();
  }
}
