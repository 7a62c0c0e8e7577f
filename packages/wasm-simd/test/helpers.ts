import type { AnyTypedArray, Backend, DType, Storage, View } from '@flint/core';
import { createCpuBackend } from '@flint/cpu-js';
import { expect } from 'vitest';
import { createWasmBackend } from '../src/index.ts';

/** A fresh wasm backend (own memory), and cpu-js as the independent reference. */
export async function backends(): Promise<{ wasm: Backend; cpu: Backend }> {
  return { wasm: await createWasmBackend(), cpu: createCpuBackend() };
}

/** Row-major strides, written out here so tests do not lean on the package's own helper. */
export function rowMajor(shape: readonly number[]): number[] {
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

/** A hand-built view; contiguous unless strides are given. */
export function view(storage: Storage, shape: readonly number[], strides?: readonly number[], offset = 0): View {
  return { storage, dtype: storage.dtype, shape, strides: strides ?? rowMajor(shape), offset };
}

/** Uploads plain numbers as `dtype`. */
export function upload(b: Backend, values: readonly number[], dtype: DType = 'float32'): Storage {
  const data: AnyTypedArray =
    dtype === 'float32' ? Float32Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values);
  return b.upload(data, dtype);
}

/** Contents of a storage as plain numbers. */
export function read(b: Backend, storage: Storage): number[] {
  return Array.from(b.readSync!(storage));
}

/** Deterministic uniform numbers in [lo, hi) (mulberry32). */
export function random(count: number, seed: number, lo = -1, hi = 1): number[] {
  let state = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296));
  }
  return out;
}

/** Element-wise |actual - expected| <= atol + rtol * |expected|, with NaN matching NaN. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-6, atol = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`index ${i}: expected NaN, got ${a}`);
      continue;
    }
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`index ${i}: expected ${e}, got ${a}`);
  }
}
