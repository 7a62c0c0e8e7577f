/** CosineAnnealingLR: cosine from the initial lr down to `etaMin` over `tMax` epochs, and back up. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Epochs of a half period (torch's `T_max`). */
  tMax: number;
  /** The minimum learning rate (default 0); torch's `eta_min`. */
  etaMin?: number;
}

const COSINE_ANNEALING_LR_OPTIONS: OptionKeys<CosineAnnealingLROptions> = { ...SCHEDULER_OPTIONS, tMax: true, etaMin: true };

/**
 * Anneals each group's lr along a cosine, `etaMin + (base - etaMin) (1 + cos(pi t / tMax)) / 2`,
 * rising again after `tMax` epochs. Computed recursively from the current lr as PyTorch 1.13 does,
 * so values match torch's over many periods and follow other schedulers' changes to the lr.
 * @example new flint.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    checkScheduler('CosineAnnealingLR', optimizer, options, COSINE_ANNEALING_LR_OPTIONS);
    checkRequired('CosineAnnealingLR', options, 'tMax');
    checkCount('CosineAnnealingLR', 'tMax', options.tMax);
    checkFinite('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    super(optimizer, options.lastEpoch);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    if (t === 0) return this.groupLrs();
    // Resumed (built with lastEpoch > 0): there is no previous value to recurse from.
    if (this.stepCount === 1 && t > 0) return this.closedFormLr();
    // The first epoch of a rising half period: the recursion's ratio would divide by zero.
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return this.groupLrs().map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => this.etaMin + ((lr - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
