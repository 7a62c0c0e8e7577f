/**
 * Argument values that TypeScript's types cannot enforce for plain JavaScript callers: integers,
 * sizes, numbers, probabilities, flags and per-dim size tuples. Constructors and functions run
 * them on each argument before they allocate anything, so a bad call names the op (or class) and
 * the argument, and changes nothing.
 */
import { typeName } from '../tensor/type-name.ts';
import { Generator } from '../random/generator.ts';

/** How a bad value reads in an error: strings quoted, lists bracketed, objects by their class. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(shown).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return typeName(value);
  return String(value);
}

/** `a positive integer`, `a non-negative integer`, `an integer >= -1` or `an integer`. */
function integerWords(min: number): string {
  if (min === 1) return 'a positive integer';
  if (min === 0) return 'a non-negative integer';
  return Number.isFinite(min) ? `an integer >= ${min}` : 'an integer';
}

/**
 * Throws unless `value` is an integer >= `min`: a TypeError naming `op` and `name` for anything
 * that is not an integer (`Conv2d(): in_channels must be a positive integer, but got '7'`), a
 * RangeError for one below `min`.
 */
export function checkInteger(op: string, name: string, value: unknown, min = -Infinity): asserts value is number {
  if (Number.isInteger(value) && (value as number) >= min) return;
  const message = `${op}(): ${name} must be ${integerWords(min)}, but got ${shown(value)}`;
  throw Number.isInteger(value) ? new RangeError(message) : new TypeError(message);
}

/** Throws a TypeError naming `op` and `name` unless `value` is a number other than NaN. */
export function checkNumber(op: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${op}(): ${name} must be a number, but got ${shown(value)}`);
}

/**
 * Throws unless `value` is a number in [0, 1]: a TypeError for a non-number, a RangeError (in
 * PyTorch's words for the argument when given as `problem`) for one outside.
 */
export function checkProbability(op: string, name: string, value: unknown, problem?: string): asserts value is number {
  checkNumber(op, name, value);
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${op}(): ${problem ?? `${name} must be a probability in [0, 1]`}, but got ${value}`);
}

/** Throws a TypeError naming `op` and `name` unless `value` is true or false. */
export function checkBoolean(op: string, name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${op}(): ${name} must be a boolean, but got ${shown(value)}`);
}

/**
 * A size per dim from `value`, one integer for all `dims` of them or a list of exactly `dims`
 * integers, each >= `min` (`MaxPool2d(): kernel_size must be a positive integer or a list of 2 of
 * them, but got [2, 2, 2]`). Throws a TypeError for a wrong type or length, a RangeError for a size below `min`.
 */
export function checkSizes(op: string, name: string, value: unknown, dims: number, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(dims).fill(value) : value;
  const words = integerWords(min);
  const problem = `${op}(): ${name} must be ${words} or a list of ${dims} of them, but got ${shown(value)}`;
  if (!Array.isArray(list) || list.length !== dims || !list.every((v) => Number.isInteger(v))) throw new TypeError(problem);
  if (!list.every((v: number) => v >= min)) throw new RangeError(problem);
  return [...(list as number[])];
}

/** What an option's value must be, for {@link checkOptionValues}; the `or null` kinds also take null. */
export type ValueKind = 'boolean' | 'boolean or null' | 'number' | 'number or null' | 'integer' | 'positive integer' | 'probability' | 'function' | 'Generator';

const VALUE_CHECKS: Readonly<Record<ValueKind, (op: string, name: string, value: unknown) => void>> = {
  boolean: checkBoolean,
  'boolean or null': (op, name, value) => {
    if (value !== null) checkBoolean(op, name, value);
  },
  number: checkNumber,
  'number or null': (op, name, value) => {
    if (value !== null) checkNumber(op, name, value);
  },
  integer: (op, name, value) => checkInteger(op, name, value),
  'positive integer': (op, name, value) => checkInteger(op, name, value, 1),
  probability: (op, name, value) => checkProbability(op, name, value),
  function: (op, name, value) => {
    if (typeof value !== 'function') throw new TypeError(`${op}(): ${name} must be a function, but got ${shown(value)}`);
  },
  Generator: (op, name, value) => {
    if (!(value instanceof Generator)) throw new TypeError(`${op}(): ${name} must be a Generator, but got ${shown(value)}`);
  },
};

/**
 * Checks the value of each option in `kinds` that `options` sets (undefined means the default),
 * naming `op` and the option: `BatchNorm1d(): affine must be a boolean, but got 'yes'`.
 */
export function checkOptionValues(op: string, options: object | undefined, kinds: Readonly<Record<string, ValueKind>>): void {
  for (const [name, kind] of Object.entries(kinds)) {
    const value = (options as Record<string, unknown> | undefined)?.[name];
    if (value !== undefined) VALUE_CHECKS[kind](op, name, value);
  }
}

/**
 * Throws a TypeError naming `op` when `args` is not empty: for constructors that take nothing, as
 * PyTorch's do (`Module.__init__() takes 1 positional argument but 2 were given`), where
 * JavaScript would drop the arguments silently.
 */
export function checkNoArguments(op: string, args: readonly unknown[]): void {
  if (args.length > 0) throw new TypeError(`${op}(): takes no arguments, but got ${args.length} (${args.map(shown).join(', ')})`);
}
