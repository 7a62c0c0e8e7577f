import type { AnyTypedArray, DType } from '@flint/core';
import { newArray } from '../storage.ts';

/** `size` copies of `value` (bool stores `value != 0`). */
export function fill(size: number, value: number, dtype: DType): AnyTypedArray {
  return newArray(dtype, size).fill(dtype === 'bool' && value !== 0 ? 1 : value);
}

/** `start + i * step` for i in [0, size), computed in float64 and rounded once on store. */
export function arange(size: number, start: number, step: number, dtype: DType): AnyTypedArray {
  const out = newArray(dtype, size);
  for (let i = 0; i < size; i++) out[i] = start + i * step;
  return out;
}
