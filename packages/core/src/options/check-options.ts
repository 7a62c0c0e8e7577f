/** Option objects: rejecting a misspelt or unknown key instead of ignoring it. */
import { nearestName } from './nearest-name.ts';

/**
 * Every option name of `O`, each mapped to `true`. The key lists are written as constants of this
 * type next to their option interfaces (`const LINEAR_OPTIONS: OptionKeys<LinearOptions> = {...}`):
 * the compiler rejects a constant that misses an option of the interface or names one it lacks, so
 * an option added to an interface cannot be forgotten in its list. An interface that extends
 * another spreads the base's constant into its own.
 */
export type OptionKeys<O> = { readonly [K in keyof Required<O>]: true };

/** How a value that is not a plain object reads in an error: its type or class. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/**
 * Throws unless `options` is undefined or a plain object whose keys are all in `known`: a
 * TypeError naming `op` and the unknown key, with the nearest known name when one is close
 * (`SGD(): unknown option 'momentun'; did you mean 'momentum'?`).
 */
export function checkOptions(op: string, options: unknown, known: OptionKeys<object>): void {
  if (options === undefined) return;
  const proto = typeof options === 'object' && options !== null ? Object.getPrototypeOf(options) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError(`${op}(): expected an options object, but got ${describe(options)}`);
  }
  const names = Object.keys(known);
  for (const key of Object.keys(options as object)) {
    if (Object.hasOwn(known, key)) continue;
    const suggestion = nearestName(key, names);
    throw new TypeError(`${op}(): unknown option '${key}'${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`}`);
  }
}
