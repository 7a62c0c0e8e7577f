import * as flint from '@flint/core';
import { expect } from 'vitest';
import type { Tolerance } from './tolerances.ts';

/** A tensor as stored in a fixture: shape, dtype and flat data ('nan'/'inf' spelled out). */
export interface Encoded {
  shape: number[];
  dtype: flint.DType;
  data: Array<number | boolean | string>;
}

function decodeValue(v: number | boolean | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** The fixture tensor on `device`. */
export function decode(e: Encoded, device: string): flint.Tensor {
  const values = e.data.map(decodeValue);
  const host = e.dtype === 'float32' ? Float32Array.from(values) : e.dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
  return flint.tensor(host, { dtype: e.dtype, device }).reshape(e.shape);
}

/** Expected values: numbers, booleans, or the strings 'nan', 'inf' and '-inf'. */
type Values = ArrayLike<number | boolean | string>;

/**
 * Asserts shape, dtype and values within tolerance (NaN matches NaN, infinities match exactly).
 * The read starts at the call, so the values checked are those the tensor holds at that point;
 * `expected.data` may be a pending read of another tensor.
 */
export async function expectClose(actual: flint.Tensor, expected: { shape: readonly number[]; data: Values | Promise<Values>; dtype?: flint.DType }, tol: Tolerance, label = ''): Promise<void> {
  expect([...actual.shape], `${label} shape`).toEqual([...expected.shape]);
  if (expected.dtype) expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const got = await actual.data();
  const want = Array.from(await expected.data, (v) => decodeValue(v as number | boolean | string));
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    const a = Number(got[i]);
    const e = want[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  expect(bad, `${label} values differ`).toEqual([]);
}

/** Asserts a tensor equals nested values within tolerance. */
export function expectValues(actual: flint.Tensor, expected: flint.NestedData, tol: Tolerance = { rtol: 1e-5, atol: 1e-6 }): Promise<void> {
  const shape: number[] = [];
  let probe: flint.NestedData = expected;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as flint.NestedData;
  }
  const flat = (Array.isArray(expected) ? (expected as unknown[]).flat(Infinity) : [expected]) as Array<number | boolean>;
  return expectClose(actual, { shape, data: flat }, tol);
}

/** What `fn` throws (undefined when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Whether the tensor's backend offers synchronous reads (`dataSync()` and friends). */
export function readsSynchronously(t: flint.Tensor): boolean {
  return t.backend.readSync !== undefined;
}

/**
 * PyTorch's string for a CPU tensor as it prints on `device`: off the default device PyTorch adds
 * `device='...'` before `requires_grad`/`grad_fn`, as flint does for every device but cpu-js.
 */
export function onDevice(expected: string, device: string): string {
  if (device === 'cpu-js') return expected;
  const at = /(, (?:requires_grad=True|grad_fn=<\w+>))?\)$/.exec(expected)!.index;
  return `${expected.slice(0, at)}, device='${device}'${expected.slice(at)}`;
}

/**
 * Asserts memory counts did not grow from `before`. For spans that await the device: meanwhile the
 * garbage-collection backstop may free tensors leaked elsewhere, so counts can fall, but a leak in
 * the span makes them grow.
 */
export function expectNoGrowth<T extends Record<string, number>>(after: T, before: T, label: string): void {
  for (const key of Object.keys(before)) expect(after[key], `${label}: ${key}`).toBeLessThanOrEqual(before[key]!);
}

/** Exact comparison, for integer and bool results. */
export const exact = { rtol: 0, atol: 0 };

/** Rounds to the nearest float32, for expectations computed in float64. */
export const f32 = (n: number): number => Math.fround(n);

/** Runs `fn` with the default generator's state saved and restored afterwards. */
export async function withSavedSeed(fn: () => void | Promise<void>): Promise<void> {
  const state = flint.defaultGenerator.getState();
  try {
    await fn();
  } finally {
    flint.defaultGenerator.setState(state);
  }
}

/**
 * Asserts that `handle` is a new tensor over `original`'s data: writes through it show in the
 * original, and disposing it leaves the original alive (flint never returns an input as a result).
 */
export async function expectNewHandle(handle: flint.Tensor, original: flint.Tensor): Promise<void> {
  expect(handle).not.toBe(original);
  flint.noGrad(() => handle.fill_(7));
  const values = original.data();
  handle.dispose();
  expect(original.isDisposed).toBe(false);
  expect(Array.from(await values).every((v) => v === 7)).toBe(true);
}

/**
 * Value checks queued inside a synchronous scope (a `tidy`) and awaited after it. Each check
 * starts its read when queued, so it sees the values as of that line even if the tensor is
 * written or disposed later in the scope.
 */
export class Checks {
  readonly #pending: Promise<unknown>[] = [];

  /** Queues any asynchronous assertion. */
  that(check: Promise<unknown>): void {
    this.#pending.push(check);
  }
  /** {@link expectClose}, queued. */
  close(...args: Parameters<typeof expectClose>): void {
    this.that(expectClose(...args));
  }
  /** {@link expectValues}, queued. */
  values(...args: Parameters<typeof expectValues>): void {
    this.that(expectValues(...args));
  }
  /** {@link expectNewHandle}, queued. */
  newHandle(handle: flint.Tensor, original: flint.Tensor): void {
    this.that(expectNewHandle(handle, original));
  }
  /** Asserts `tolist()` equals `expected`. */
  list(actual: flint.Tensor, expected: unknown, message?: string): void {
    this.that(actual.tolist().then((v) => expect(v, message).toEqual(expected)));
  }
  /** Asserts the `tolist()` of each tensor equals the matching entry of `expected`. */
  lists(actual: readonly flint.Tensor[], expected: unknown): void {
    this.that(Promise.all(actual.map((t) => t.tolist())).then((v) => expect(v).toEqual(expected)));
  }
  /**
   * Asserts `format()` gives `expected` (PyTorch's string for a CPU tensor, given the device suffix
   * of `actual`'s device), and so does `toString()` where reads are synchronous.
   */
  format(actual: flint.Tensor, expected: string): void {
    const want = onDevice(expected, actual.device);
    if (readsSynchronously(actual)) expect(actual.toString()).toBe(want);
    this.that(actual.format().then((s) => expect(s).toBe(want)));
  }
  /** Asserts `item()` is `expected`. */
  item(actual: flint.Tensor, expected: number | boolean): void {
    this.that(actual.item().then((v) => expect(v).toBe(expected)));
  }
  /** Asserts the host values (`data()`, as a plain array) equal `expected`. */
  data(actual: flint.Tensor, expected: readonly number[]): void {
    this.that(actual.data().then((v) => expect(Array.from(v)).toEqual(expected)));
  }

  /** Waits for every queued check; fails with the first failure. */
  async done(): Promise<void> {
    const results = await Promise.allSettled(this.#pending);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** Runs `fn` inside `flint.tidy` with a {@link Checks} to queue value checks on, then awaits them. */
export async function tidyChecks(fn: (check: Checks) => void): Promise<void> {
  const check = new Checks();
  try {
    flint.tidy(() => fn(check));
  } catch (err) {
    // The scope's own error is the one to report; queued checks only need to finish.
    await check.done().catch(() => undefined);
    throw err;
  }
  await check.done();
}

/** The host values of a tensor made by `make` (inside a tidy), as a plain array. */
export async function valuesOf(make: () => flint.Tensor): Promise<number[]> {
  const t = flint.tidy(make);
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** The error classes a call may be expected to throw. */
export type ErrorClass = ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor;

/** Asserts that `call` throws an instance of `error` whose message is exactly `message`. */
export function expectError(call: () => unknown, error: ErrorClass, message: string): void {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${error.name}: ${message}`).toBeInstanceOf(error);
  expect((caught as Error).message).toBe(message);
}
