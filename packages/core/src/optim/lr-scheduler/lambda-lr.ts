/** LambdaLR: the initial lr times a function of the epoch. */
import type { Optimizer } from '../optimizer.ts';
import { LRScheduler, type SchedulerOptions } from './lr-scheduler.ts';

/** A multiplicative factor of the initial lr, given the epoch. */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions extends SchedulerOptions {
  /** One function for every group, or one per group. Functions are not part of the state dict. */
  lrLambda: LrLambda | readonly LrLambda[];
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`.
 * @example new flint.optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: readonly LrLambda[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super(optimizer, options.lastEpoch);
    this.lrLambdas = lambdasPerGroup('LambdaLR', options.lrLambda, optimizer.paramGroups.length);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }
}

/** One function per group: `fns` itself, or one function repeated. */
export function lambdasPerGroup(scheduler: string, fns: LrLambda | readonly LrLambda[], groups: number): readonly LrLambda[] {
  if (typeof fns === 'function') return Array.from({ length: groups }, () => fns);
  if (fns.length !== groups) throw new RangeError(`${scheduler}(): Expected ${groups} lrLambdas, but got ${fns.length}`);
  return [...fns];
}
