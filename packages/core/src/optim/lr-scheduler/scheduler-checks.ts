/**
 * The argument checks of the scheduler constructors, in PyTorch's wording. Each constructor runs
 * them before it writes anything to the optimizer's groups, so a scheduler that fails to build
 * leaves the optimizer as it was.
 */
import { Optimizer } from '../optimizer.ts';
import type { LRScheduler, SchedulerStateDict } from './lr-scheduler.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { typeName } from '../../tensor/type-name.ts';

/**
 * Throws unless `optimizer` is an Optimizer, `options` has only the keys `known`, and its
 * `lastEpoch` (if any) is an integer >= -1.
 */
export function checkScheduler(op: string, optimizer: unknown, options: unknown, known: OptionKeys<object>): void {
  checkOptimizer(op, optimizer);
  checkOptions(op, options, known);
  const lastEpoch = (options as { lastEpoch?: unknown } | undefined)?.lastEpoch;
  if (lastEpoch !== undefined && !(Number.isInteger(lastEpoch) && (lastEpoch as number) >= -1)) {
    throw new RangeError(`${op}(): lastEpoch must be an integer >= -1, but got ${String(lastEpoch)}`);
  }
}

/** Throws PyTorch's TypeError, naming `op`, unless `optimizer` is an Optimizer. */
export function checkOptimizer(op: string, optimizer: unknown): asserts optimizer is Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${op}(): ${typeName(optimizer)} is not an Optimizer`);
}

/** Throws a TypeError naming `op` unless `options` sets `name`. */
export function checkRequired(op: string, options: object | undefined, name: string): void {
  if ((options as Record<string, unknown> | undefined)?.[name] === undefined) throw new TypeError(`${op}(): missing required option '${name}'`);
}

/** Throws unless `value` is an integer > 0 (or >= 0 when `zeroAllowed`). */
export function checkCount(op: string, name: string, value: unknown, zeroAllowed = false): void {
  if (Number.isInteger(value) && (value as number) >= (zeroAllowed ? 0 : 1)) return;
  throw new RangeError(`${op}(): Expected ${zeroAllowed ? 'non-negative' : 'positive'} integer ${name}, but got ${String(value)}`);
}

/** Throws unless `value` (or each of its values, one per group) is a finite number. */
export function checkFinite(op: string, name: string, value: unknown): void {
  const values = Array.isArray(value) ? value : [value];
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) return;
  throw new RangeError(`${op}(): Expected a finite number ${name}, but got ${String(value)}`);
}

/** Throws unless `state` has the numeric fields `counts` (integers) and the lists `lists` (finite numbers, `groups` each). */
export function checkState(op: string, state: unknown, counts: readonly string[], lists: readonly string[], groups: number): void {
  if (typeof state !== 'object' || state === null) throw new TypeError(`${op}(): expected a state dict object, but got ${state === null ? 'null' : typeof state}`);
  const record = state as Record<string, unknown>;
  for (const key of counts) if (!Number.isInteger(record[key])) throw new TypeError(`${op}(): state dict entry '${key}' must be an integer, but got ${String(record[key])}`);
  for (const key of lists) {
    const list = record[key];
    if (!Array.isArray(list) || list.length !== groups || !list.every((v) => typeof v === 'number' && !Number.isNaN(v))) {
      throw new TypeError(`${op}(): state dict entry '${key}' must list ${groups} numbers (one per parameter group), but got ${String(list)}`);
    }
  }
}

/**
 * Throws unless `state` (SequentialLR's or ChainedScheduler's) has the integers `counts`, a
 * `lastLr` for `groups` groups and one loadable state dict per scheduler, so that loading checks
 * every one before it loads any.
 */
export function checkSchedulerStates(op: string, state: unknown, counts: readonly string[], schedulers: readonly LRScheduler[], groups: number): void {
  checkState(op, state, counts, ['lastLr'], groups);
  const states = (state as { schedulers?: unknown }).schedulers;
  if (!Array.isArray(states) || states.length !== schedulers.length) {
    throw new TypeError(`${op}(): state dict entry 'schedulers' must list ${schedulers.length} scheduler states, but got ${String(states)}`);
  }
  schedulers.forEach((s, i) => s.checkStateDict(states[i] as SchedulerStateDict));
}
