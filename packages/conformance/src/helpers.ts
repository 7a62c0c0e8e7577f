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

/** Asserts shape, dtype and values within tolerance (NaN matches NaN, infinities match exactly). */
export function expectClose(actual: flint.Tensor, expected: { shape: readonly number[]; data: ArrayLike<number | boolean | string>; dtype?: flint.DType }, tol: Tolerance, label = ''): void {
  expect([...actual.shape], `${label} shape`).toEqual([...expected.shape]);
  if (expected.dtype) expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const got = actual.dataSync();
  const want = Array.from(expected.data, (v) => decodeValue(v as number | boolean | string));
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
export function expectValues(actual: flint.Tensor, expected: flint.NestedData, tol: Tolerance = { rtol: 1e-5, atol: 1e-6 }): void {
  const shape: number[] = [];
  let probe: flint.NestedData = expected;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as flint.NestedData;
  }
  const flat = (Array.isArray(expected) ? (expected as unknown[]).flat(Infinity) : [expected]) as Array<number | boolean>;
  expectClose(actual, { shape, data: flat }, tol);
}

/** Exact comparison, for integer and bool results. */
export const exact = { rtol: 0, atol: 0 };

/** Rounds to the nearest float32, for expectations computed in float64. */
export const f32 = (n: number): number => Math.fround(n);

/** Runs `fn` with the default generator's state saved and restored afterwards. */
export function withSavedSeed(fn: () => void): void {
  const state = flint.defaultGenerator.getState();
  try {
    fn();
  } finally {
    flint.defaultGenerator.setState(state);
  }
}

/**
 * Asserts that `handle` is a new tensor over `original`'s data: writes through it show in the
 * original, and disposing it leaves the original alive (flint never returns an input as a result).
 */
export function expectNewHandle(handle: flint.Tensor, original: flint.Tensor): void {
  expect(handle).not.toBe(original);
  flint.noGrad(() => handle.fill_(7));
  expect(Array.from(original.dataSync()).every((v) => v === 7)).toBe(true);
  handle.dispose();
  expect(original.isDisposed).toBe(false);
}

/**
 * `t` printed, with the `device='...'` tag that tensors off cpu-js carry checked and removed, so that
 * the strings PyTorch prints for CPU tensors serve every backend.
 */
export function printedWithoutDevice(t: { toString(): string }, device: string): string {
  const s = t.toString();
  if (device === 'cpu-js') return s;
  const tag = `, device='${device}'`;
  expect(s).toContain(tag);
  return s.replace(tag, '');
}
