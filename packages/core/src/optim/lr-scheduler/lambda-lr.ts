/** LambdaLR: the initial lr times a function of the epoch. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, SCHEDULER_OPTIONS, type SchedulerOptions } from './lr-scheduler.ts';
import type { OptionKeys } from '../../options/check-options.ts';
import { checkRequired, checkScheduler } from './scheduler-checks.ts';

/** A multiplicative factor of the initial lr, given the epoch. */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions extends SchedulerOptions {
  /** One function for every group, or one per group. Functions are not part of the state dict. */
  lrLambda: LrLambda | readonly LrLambda[];
}

const LAMBDA_LR_OPTIONS: OptionKeys<LambdaLROptions> = { ...SCHEDULER_OPTIONS, lrLambda: true };

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`.
 * @example new flint.optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    const lrLambdas = lambdasPerGroup('LambdaLR', optimizer, options, LAMBDA_LR_OPTIONS);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}

/** The checked options' `lrLambda` as one function per group: the list itself, or one function repeated. */
export function lambdasPerGroup(scheduler: string, optimizer: Optimizer, options: LambdaLROptions, known: OptionKeys<LambdaLROptions>): readonly LrLambda[] {
  checkScheduler(scheduler, optimizer, options, known);
  checkRequired(scheduler, options, 'lrLambda');
  const fns = options.lrLambda;
  const groups = optimizer.paramGroups.length;
  if (typeof fns === 'function') return Array.from({ length: groups }, () => fns);
  if (!Array.isArray(fns) || !fns.every((fn) => typeof fn === 'function')) {
    throw new TypeError(`${scheduler}(): lrLambda must be a function or a list of functions, one per group, but got ${typeof fns}`);
  }
  if (fns.length !== groups) throw new RangeError(`${scheduler}(): Expected ${groups} lrLambdas, but got ${fns.length}`);
  return [...fns];
}
