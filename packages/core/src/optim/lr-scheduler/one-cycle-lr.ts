/** OneCycleLR: the 1cycle policy, lr up to `maxLr` then far below the start, momentum the other way. */
import type { Optimizer, ParamGroup } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';
import { perGroup } from './per-group.ts';

export interface OneCycleLROptions extends SchedulerOptions {
  /** Peak learning rate, for every group or per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** How to move between values (default 'cos'). */
  annealStrategy?: 'cos' | 'linear';
  /** Move momentum (SGD's `momentum`, Adam's `betas[0]`) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's lows (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** The initial lr is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final lr is the initial lr / `finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Add a third phase that anneals from the initial lr to the final one (default false). */
  threePhase?: boolean;
}

const ONE_CYCLE_LR_OPTIONS: OptionKeys<OneCycleLROptions> = {
  ...SCHEDULER_OPTIONS, maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true, annealStrategy: true, cycleMomentum: true,
  baseMomentum: true, maxMomentum: true, divFactor: true, finalDivFactor: true, threePhase: true,
};

type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomentumKey = 'maxMomentum' | 'baseMomentum';

/** One phase of the cycle: the step it ends at, and the group fields it moves between. */
interface Phase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

/** A group of an optimizer with momentum (SGD, RMSprop) or betas (Adam, AdamW). */
type MomentumGroup = ParamGroup & { momentum?: number; betas?: readonly [number, number] };

const anneal = {
  cos: (start: number, end: number, pct: number): number => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1),
  linear: (start: number, end: number, pct: number): number => (end - start) * pct + start,
};

/**
 * The 1cycle policy, stepped once per batch. Like PyTorch's, it writes `initialLr`, `maxLr`,
 * `minLr` (and `maxMomentum`, `baseMomentum`) into each group, and sets the groups' momentum.
 * @example
 * const scheduler = new flint.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 * // after every batch: opt.step(); scheduler.step();
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in `betas[0]` (Adam) rather than `momentum` (SGD). */
  private readonly useBeta1: boolean;
  private readonly phases: Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    checkScheduler('OneCycleLR', optimizer, options, ONE_CYCLE_LR_OPTIONS);
    checkRequired('OneCycleLR', options, 'maxLr');
    const lastEpoch = options.lastEpoch ?? -1;
    const groups = optimizer.paramGroups as MomentumGroup[];
    const totalSteps = stepsOf(options);
    const pct = options.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`OneCycleLR(): Expected float between 0 and 1 pctStart, but got ${pct}`);
    const strategy = options.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') throw new RangeError(`OneCycleLR(): annealStrategy must be one of 'cos' or 'linear', instead got ${String(strategy)}`);
    const cycleMomentum = options.cycleMomentum ?? true;
    const useBeta1 = 'betas' in optimizer.defaults;
    if (cycleMomentum && !useBeta1 && !('momentum' in optimizer.defaults)) {
      throw new Error('OneCycleLR(): optimizer must support momentum with `cycleMomentum` option enabled');
    }
    const { maxLr, divFactor = 25, finalDivFactor = 1e4, maxMomentum = 0.95, baseMomentum = 0.85 } = options;
    for (const [name, value] of Object.entries({ maxLr, divFactor, finalDivFactor, maxMomentum, baseMomentum })) checkFinite('OneCycleLR', name, value);
    const maxLrs = perGroup('OneCycleLR', 'maxLr', maxLr, groups.length);
    const maxMomenta = perGroup('OneCycleLR', 'maxMomentum', maxMomentum, groups.length);
    const baseMomenta = perGroup('OneCycleLR', 'baseMomentum', baseMomentum, groups.length);
    // Every check is done: only now write to the groups.
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = g.initialLr / finalDivFactor;
      });
      if (cycleMomentum) {
        groups.forEach((g, i) => {
          setMomentum(g, maxMomenta[i]!, useBeta1);
          g.maxMomentum = maxMomenta[i]!;
          g.baseMomentum = baseMomenta[i]!;
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.anneal = anneal[strategy];
    this.phases = options.threePhase
      ? [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * pct * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: pct * totalSteps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new RangeError(`OneCycleLR(): Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`);
    const last = this.phases.length - 1;
    const i = this.phases.findIndex((p, k) => step <= p.endStep || k === last);
    const phase = this.phases[i]!;
    const start = i > 0 ? this.phases[i - 1]!.endStep : 0;
    const pct = (step - start) / (phase.endStep - start);
    return (this.groups as MomentumGroup[]).map((g) => {
      if (this.cycleMomentum) setMomentum(g, this.anneal(g[phase.startMomentum]!, g[phase.endMomentum]!, pct), this.useBeta1);
      return this.anneal(g[phase.startLr]!, g[phase.endLr]!, pct);
    });
  }
}

function stepsOf(options: OneCycleLROptions): number {
  if (options.totalSteps !== undefined) {
    checkCount('OneCycleLR', 'totalSteps', options.totalSteps);
    return options.totalSteps;
  }
  if (options.epochs === undefined && options.stepsPerEpoch === undefined) throw new RangeError('OneCycleLR(): You must define either totalSteps OR (epochs AND stepsPerEpoch)');
  checkCount('OneCycleLR', 'epochs', options.epochs);
  checkCount('OneCycleLR', 'stepsPerEpoch', options.stepsPerEpoch);
  return options.epochs! * options.stepsPerEpoch!;
}

function setMomentum(group: MomentumGroup, momentum: number, useBeta1: boolean): void {
  if (useBeta1) group.betas = [momentum, group.betas![1]];
  else group.momentum = momentum;
}
