/** CyclicLR: the lr cycles between `baseLr` and `maxLr` (and momentum the other way), stepped per batch. */
import type { Optimizer, ParamGroup } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkCount, checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';
import { perGroup } from './per-group.ts';

export interface CyclicLROptions extends SchedulerOptions {
  /** The cycle's lower lr, for every group or per group; set on the groups when the scheduler is built. */
  baseLr: number | readonly number[];
  /** The cycle's upper lr, for every group or per group. */
  maxLr: number | readonly number[];
  /** Steps in the rising half (default 2000). */
  stepSizeUp?: number;
  /** Steps in the falling half (default `stepSizeUp`). */
  stepSizeDown?: number;
  /** The amplitude's decay (default 'triangular': none); ignored when `scaleFn` is given. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** The base of 'exp_range''s decay, `gamma^step` (default 1). */
  gamma?: number;
  /** A custom amplitude scale, of the cycle number or the step (see `scaleMode`); not part of the state dict. */
  scaleFn?: (x: number) => number;
  /** What `scaleFn` is given: the cycle number (default) or the step count. */
  scaleMode?: 'cycle' | 'iterations';
  /** Move the groups' `momentum` inversely to the lr, between `baseMomentum` and `maxMomentum` (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.8). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's lows (default 0.9). */
  maxMomentum?: number | readonly number[];
}

const CYCLIC_LR_OPTIONS: OptionKeys<CyclicLROptions> = {
  ...SCHEDULER_OPTIONS, baseLr: true, maxLr: true, stepSizeUp: true, stepSizeDown: true, mode: true, gamma: true, scaleFn: true, scaleMode: true,
  cycleMomentum: true, baseMomentum: true, maxMomentum: true,
};

type MomentumGroup = ParamGroup & { momentum?: number };

const scaleFns = {
  triangular: (): number => 1,
  triangular2: (cycle: number): number => 1 / 2 ** (cycle - 1),
};

/**
 * The cyclical learning-rate policy of PyTorch 1.13 (momentum cycling needs an optimizer with
 * `momentum`, such as SGD or RMSprop).
 * @example
 * const scheduler = new flint.optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 500, mode: 'triangular2' });
 * // after every batch: opt.step(); scheduler.step();
 */
export class CyclicLR extends LRScheduler {
  readonly maxLrs: readonly number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly cycleMomentum: boolean;
  readonly baseMomentums: readonly number[] = [];
  readonly maxMomentums: readonly number[] = [];
  private readonly scaleFn: (x: number) => number;
  private readonly scaleMode: 'cycle' | 'iterations';

  constructor(optimizer: Optimizer, options: CyclicLROptions) {
    checkScheduler('CyclicLR', optimizer, options, CYCLIC_LR_OPTIONS);
    for (const name of ['baseLr', 'maxLr'] as const) {
      checkRequired('CyclicLR', options, name);
      checkFinite('CyclicLR', name, options[name]);
    }
    const lastEpoch = options.lastEpoch ?? -1;
    const groups = optimizer.paramGroups as MomentumGroup[];
    const baseLrs = perGroup('CyclicLR', 'baseLr', options.baseLr, groups.length);
    const maxLrs = perGroup('CyclicLR', 'maxLr', options.maxLr, groups.length);
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    checkCount('CyclicLR', 'stepSizeUp', up);
    checkCount('CyclicLR', 'stepSizeDown', down);
    const mode = options.mode ?? 'triangular';
    if (!options.scaleFn) checkChoice('CyclicLR', 'mode', mode, ['triangular', 'triangular2', 'exp_range'], `mode is invalid and scaleFn is None (got ${String(mode)})`);
    else if (typeof options.scaleFn !== 'function') throw new TypeError(`CyclicLR(): scaleFn must be a function, but got ${typeof options.scaleFn}`);
    checkChoice('CyclicLR', 'scaleMode', options.scaleMode ?? 'cycle', ['cycle', 'iterations']);
    checkFinite('CyclicLR', 'gamma', options.gamma ?? 1);
    const cycleMomentum = options.cycleMomentum ?? true;
    let momenta: { base: readonly number[]; max: readonly number[] } | undefined;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults)) throw new Error('CyclicLR(): optimizer must support momentum with `cycleMomentum` option enabled');
      const base = perGroup('CyclicLR', 'baseMomentum', options.baseMomentum ?? 0.8, groups.length);
      const max = perGroup('CyclicLR', 'maxMomentum', options.maxMomentum ?? 0.9, groups.length);
      checkFinite('CyclicLR', 'baseMomentum', base);
      checkFinite('CyclicLR', 'maxMomentum', max);
      momenta = { base: lastEpoch === -1 ? base : groups.map((g) => g.momentum!), max };
    }
    // Every check is done: only now write to the groups.
    if (lastEpoch === -1) groups.forEach((g, i) => (g.lr = baseLrs[i]!));
    if (momenta && lastEpoch === -1) groups.forEach((g, i) => (g.momentum = momenta.base[i]!));
    super(optimizer, lastEpoch);
    this.baseLrs = [...baseLrs];
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.cycleMomentum = cycleMomentum;
    if (momenta) {
      this.baseMomentums = momenta.base;
      this.maxMomentums = momenta.max;
    }
    if (options.scaleFn) {
      this.scaleFn = options.scaleFn;
      this.scaleMode = options.scaleMode ?? 'cycle';
    } else if (mode === 'exp_range') {
      const gamma = options.gamma ?? 1;
      this.scaleFn = (step) => gamma ** step;
      this.scaleMode = 'iterations';
    } else {
      this.scaleFn = scaleFns[mode];
      this.scaleMode = 'cycle';
    }
    this.initialStep();
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const height = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : t);
    if (this.cycleMomentum) {
      (this.groups as MomentumGroup[]).forEach((g, i) => {
        const max = this.maxMomentums[i]!;
        g.momentum = max - (max - this.baseMomentums[i]!) * height * scale;
      });
    }
    return this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * height * scale);
  }
}
