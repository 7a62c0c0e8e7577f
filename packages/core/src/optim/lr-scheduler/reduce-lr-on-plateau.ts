/** ReduceLROnPlateau: cut the lr when a metric stops improving. */
import type { Optimizer } from '../optimizer.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkCount, checkFinite, checkScheduler, checkState } from './scheduler-checks.ts';

export interface ReduceLROnPlateauOptions {
  /** Whether the metric should go down ('min', default) or up ('max'). */
  mode?: 'min' | 'max';
  /** Multiplier of each reduction, below 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest change counted as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best value; 'abs': an absolute margin. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound on the lr, for every group or per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

const REDUCE_LR_ON_PLATEAU_OPTIONS: OptionKeys<ReduceLROnPlateauOptions> = {
  mode: true, factor: true, patience: true, threshold: true, thresholdMode: true, cooldown: true, minLr: true, eps: true,
};

export interface ReduceLROnPlateauStateDict {
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

/**
 * Multiplies each group's lr by `factor` when the metric passed to `step()` has not improved for
 * `patience` epochs, as PyTorch's ReduceLROnPlateau.
 * @example
 * const scheduler = new flint.optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
 * // after each epoch: scheduler.step(validationLoss);
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: readonly number[];
  readonly eps: number;
  /** The best metric so far. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(
    readonly optimizer: Optimizer,
    options: ReduceLROnPlateauOptions = {},
  ) {
    checkScheduler('ReduceLROnPlateau', optimizer, options, REDUCE_LR_ON_PLATEAU_OPTIONS);
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.eps = options.eps ?? 1e-8;
    if (!(this.factor < 1)) throw new RangeError('ReduceLROnPlateau(): Factor should be < 1.0.');
    checkChoice('ReduceLROnPlateau', 'mode', this.mode, ['min', 'max'], `mode ${String(this.mode)} is unknown!`);
    checkChoice('ReduceLROnPlateau', 'thresholdMode', this.thresholdMode, ['rel', 'abs'], `threshold mode ${String(this.thresholdMode)} is unknown!`);
    checkCount('ReduceLROnPlateau', 'patience', this.patience, true);
    checkCount('ReduceLROnPlateau', 'cooldown', this.cooldown, true);
    for (const name of ['factor', 'threshold', 'eps'] as const) checkFinite('ReduceLROnPlateau', name, this[name]);
    checkFinite('ReduceLROnPlateau', 'minLr', options.minLr ?? 0);
    const groups = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (typeof minLr !== 'number' && minLr.length !== groups) throw new RangeError(`ReduceLROnPlateau(): expected ${groups} minLrs, got ${minLr.length}`);
    this.minLrs = typeof minLr === 'number' ? Array.from({ length: groups }, () => minLr) : [...minLr];
    this.best = this.worst;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records the epoch's metric (e.g. `await valLoss.item()`) and reduces the lr if it has plateaued. */
  step(metric: number): void {
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduce();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The groups' learning rates after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): ReduceLROnPlateauStateDict {
    const { best, numBadEpochs, cooldownCounter, lastEpoch } = this;
    return { best, numBadEpochs, cooldownCounter, lastEpoch, lastLr: [...this.lastLr] };
  }

  /** Loads a {@link stateDict}; one with a missing or malformed entry throws and loads nothing. */
  loadStateDict(state: ReduceLROnPlateauStateDict): void {
    checkState('ReduceLROnPlateau.loadStateDict', state, ['numBadEpochs', 'cooldownCounter', 'lastEpoch'], ['lastLr'], this.optimizer.paramGroups.length);
    if (typeof state.best !== 'number' || Number.isNaN(state.best)) throw new TypeError(`ReduceLROnPlateau.loadStateDict(): state dict entry 'best' must be a number, but got ${String(state.best)}`);
    ({ best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch } = state);
    this.lastLr = [...state.lastLr];
  }

  private get worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(metric: number): boolean {
    const { best, threshold } = this;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? metric < best * (1 - threshold) : metric < best - threshold;
    return this.thresholdMode === 'rel' ? metric > best * (threshold + 1) : metric > best + threshold;
  }

  private reduce(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const lr = Math.max(g.lr * this.factor, this.minLrs[i]!);
      if (g.lr - lr > this.eps) g.lr = lr;
    });
  }
}
