/** CosineAnnealingWarmRestarts (SGDR): cosine annealing restarted every `t0`, `t0 * tMult`, ... epochs. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions, type SchedulerStateDict } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkCount, checkFinite, checkRequired, checkScheduler } from './scheduler-checks.ts';

export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Epochs until the first restart, a positive integer (torch's `T_0`). */
  t0: number;
  /** Each period is this integer >= 1 times the previous one (default 1); torch's `T_mult`. */
  tMult?: number;
  /** The minimum learning rate (default 0); torch's `eta_min`. */
  etaMin?: number;
}

const COSINE_ANNEALING_WARM_RESTARTS_OPTIONS: OptionKeys<CosineAnnealingWarmRestartsOptions> = { ...SCHEDULER_OPTIONS, t0: true, tMult: true, etaMin: true };

/** The base state and the position in the current period (torch's `T_cur`, `T_i`). */
export interface CosineAnnealingWarmRestartsStateDict extends SchedulerStateDict {
  tCur: number;
  tI: number;
}

/**
 * Sets each group's lr to `etaMin + (base - etaMin) (1 + cos(pi tCur / tI)) / 2`, where `tCur`
 * counts epochs since the last restart and `tI` is the current period. `step(epoch)` may be given
 * a fractional epoch, to anneal within an epoch batch by batch.
 * @example
 * const scheduler = new flint.optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 * // per batch i of n: scheduler.step(epoch + i / n)
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Epochs since the last restart (fractional after `step(epoch)` with a fractional epoch). */
  tCur: number;
  /** Epochs in the current period. */
  tI: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingWarmRestartsOptions) {
    checkScheduler('CosineAnnealingWarmRestarts', optimizer, options, COSINE_ANNEALING_WARM_RESTARTS_OPTIONS);
    checkRequired('CosineAnnealingWarmRestarts', options, 't0');
    const { t0, tMult = 1 } = options;
    checkCount('CosineAnnealingWarmRestarts', 't0', t0);
    if (!(Number.isInteger(tMult) && tMult >= 1)) throw new RangeError(`CosineAnnealingWarmRestarts(): Expected integer tMult >= 1, but got ${tMult}`);
    checkFinite('CosineAnnealingWarmRestarts', 'etaMin', options.etaMin ?? 0);
    super(optimizer, options.lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = options.etaMin ?? 0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  /** Advances one epoch, or jumps to `epoch` (which may be fractional). */
  override step(epoch?: number): void {
    if (epoch !== undefined || this.lastEpoch < 0) {
      this.stepTo(epoch ?? 0);
      return;
    }
    this.tCur++;
    if (this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    super.step();
  }

  /** @internal Places `epoch` in its period, as torch's step(epoch). */
  override stepTo(epoch: number): void {
    if (epoch < 0) throw new RangeError(`CosineAnnealingWarmRestarts(): Expected non-negative epoch, but got ${epoch}`);
    const { t0, tMult } = this;
    if (epoch < t0) {
      this.tI = t0;
      this.tCur = epoch;
    } else if (tMult === 1) this.tCur = epoch % t0;
    else {
      const n = Math.trunc(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
      this.tCur = epoch - (t0 * (tMult ** n - 1)) / (tMult - 1);
      this.tI = t0 * tMult ** n;
    }
    super.stepTo(Math.floor(epoch));
  }

  protected getLr(): number[] {
    return this.baseLrs.map((lr) => this.etaMin + ((lr - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  override stateDict(): CosineAnnealingWarmRestartsStateDict {
    return { ...super.stateDict(), tCur: this.tCur, tI: this.tI };
  }

  /** @internal The base's checks, and a finite `tCur` within a positive period `tI`. */
  override checkStateDict(state: CosineAnnealingWarmRestartsStateDict): void {
    super.checkStateDict(state);
    const { tCur, tI } = state;
    if (!(Number.isInteger(tI) && tI > 0 && typeof tCur === 'number' && tCur >= 0 && tCur < tI)) {
      throw new TypeError(`CosineAnnealingWarmRestarts.loadStateDict(): state dict entries 'tCur' and 'tI' must satisfy 0 <= tCur < tI (an integer period), but got tCur=${String(tCur)}, tI=${String(tI)}`);
    }
  }

  override loadStateDict(state: CosineAnnealingWarmRestartsStateDict): void {
    super.loadStateDict(state);
    this.tCur = state.tCur;
    this.tI = state.tI;
  }
}
