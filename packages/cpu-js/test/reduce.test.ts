import type { View } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, f32, random, read, upload, view } from './helpers.ts';

const b = backend();

/** Every multi-index of `shape` in row-major order. */
function indices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const size of shape) out = out.flatMap((prefix) => Array.from({ length: size }, (_, i) => [...prefix, i]));
  return out;
}

/** Naive reduction: buckets every input element by its kept coordinates. */
function naiveReduce(op: 'sum' | 'prod' | 'max' | 'min', data: number[], v: View, axes: number[]): number[] {
  const buckets = new Map<string, number[]>();
  for (const idx of indices(v.shape)) {
    const key = idx.filter((_, d) => !axes.includes(d)).join(',');
    const value = data[v.offset + idx.reduce((acc, i, d) => acc + i * v.strides[d], 0)];
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key)!.push(value);
  }
  return [...buckets.values()].map((vals) => {
    switch (op) {
      case 'sum': return vals.reduce((a, x) => a + x, 0);
      case 'prod': return vals.reduce((a, x) => a * x, 1);
      case 'max': return vals.some(Number.isNaN) ? NaN : Math.max(...vals);
      case 'min': return vals.some(Number.isNaN) ? NaN : Math.min(...vals);
    }
  });
}

describe('reduce sum/prod/max/min', () => {
  const data = f32(random(60, 7, -2, 2));
  const s = upload(b, data);
  const views: [string, View][] = [
    ['contiguous [3,4,5]', view(s, [3, 4, 5])],
    // A permuted, offset window: [4, 3, 2] with strides [1, 20, 5] from offset 3.
    ['permuted [4,3,2]', view(s, [4, 3, 2], [1, 20, 5], 3)],
    ['broadcast [3,2,4]', view(s, [3, 2, 4], [5, 0, 1])],
    // Contiguous windows that start past the storage's first element, one with a unit dim.
    ['offset contiguous [2,5,5]', view(s, [2, 5, 5], undefined, 7)],
    ['offset contiguous [4,1,5]', view(s, [4, 1, 5], undefined, 3)],
  ];
  const axesSets = [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
  for (const [name, v] of views) {
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      it(`${op} over every axis set of ${name}`, () => {
        for (const axes of axesSets) {
          const out = b.reduce(op, v, axes);
          expect(out.dtype).toBe('float32');
          expect(out.size).toBe(v.shape.filter((_, d) => !axes.includes(d)).reduce((a, x) => a * x, 1));
          expectClose(read(b, out), f32(naiveReduce(op, data, v, axes)), 1e-6, 1e-30);
        }
      });
    }
  }

  it('propagates NaN through max, min, sum and prod', () => {
    const x = view(upload(b, [1, NaN, 3, 4, 5, -6]), [2, 3]);
    expect(read(b, b.reduce('max', x, [1]))).toEqual([NaN, 5]);
    expect(read(b, b.reduce('min', x, [1]))).toEqual([NaN, -6]);
    expect(read(b, b.reduce('max', x, [0]))).toEqual([4, NaN, 3]);
    expect(read(b, b.reduce('sum', x, [1]))).toEqual([NaN, 3]);
    expect(read(b, b.reduce('prod', x, [0]))).toEqual([4, NaN, -18]);
  });

  it('accumulates float32 sums in float64', () => {
    // In float32, 1e8 + 1 rounds back to 1e8 and the sum would be 0.
    expect(read(b, b.reduce('sum', view(upload(b, [1e8, 1, -1e8]), [3]), [0]))).toEqual([1]);
  });

  it('wraps int32 sum and prod', () => {
    const x = view(upload(b, [2147483647, 1, 65536, 65536, 3, -4], 'int32'), [3, 2]);
    const sum = b.reduce('sum', x, [1]);
    expect(sum.dtype).toBe('int32');
    expect(read(b, sum)).toEqual([-2147483648, 131072, -1]);
    expect(read(b, b.reduce('prod', x, [1]))).toEqual([2147483647, 0, -12]);
    expect(read(b, b.reduce('max', x, [0]))).toEqual([2147483647, 65536]);
    expect(read(b, b.reduce('min', x, [0, 1]))).toEqual([-4]);
  });

  it('bool max/min are any/all', () => {
    const x = view(upload(b, [0, 0, 1, 0, 1, 1], 'bool'), [3, 2]);
    const any = b.reduce('max', x, [1]);
    expect(any.dtype).toBe('bool');
    expect(read(b, any)).toEqual([0, 1, 1]);
    expect(read(b, b.reduce('min', x, [1]))).toEqual([0, 0, 1]);
    expect(read(b, b.reduce('min', x, [0]))).toEqual([0, 0]);
    expect(read(b, b.reduce('max', x, [0, 1]))).toEqual([1]);
  });
});

describe('argmax / argmin', () => {
  it('returns int32 first-occurrence indices along one axis', () => {
    // [[3, 1, 3], [0, 5, 5], [2, 5, -1]]
    const x = view(upload(b, [3, 1, 3, 0, 5, 5, 2, 5, -1]), [3, 3]);
    const am = b.reduce('argmax', x, [1]);
    expect(am.dtype).toBe('int32');
    expect(read(b, am)).toEqual([0, 1, 1]);
    expect(read(b, b.reduce('argmax', x, [0]))).toEqual([0, 1, 1]);
    expect(read(b, b.reduce('argmin', x, [1]))).toEqual([1, 0, 2]);
    expect(read(b, b.reduce('argmin', x, [0]))).toEqual([1, 0, 2]);
  });

  it('treats the first NaN as the extreme', () => {
    const x = view(upload(b, [1, NaN, 9, NaN, NaN, 0, -Infinity, 2, 2]), [3, 3]);
    expect(read(b, b.reduce('argmax', x, [1]))).toEqual([1, 0, 1]);
    expect(read(b, b.reduce('argmin', x, [1]))).toEqual([1, 0, 0]);
    expect(read(b, b.reduce('argmax', x, [0]))).toEqual([1, 0, 0]);
  });

  it('handles non-contiguous input and middle axes', () => {
    const data = f32(random(24, 3));
    const s = upload(b, data);
    // [2, 3, 4] view of a [4, 3, 2] buffer, transposed (strides [1, 2, 6]).
    const v = view(s, [2, 3, 4], [1, 2, 6]);
    for (const axis of [0, 1, 2]) {
      const expected: number[] = [];
      const outShape = v.shape.filter((_, d) => d !== axis);
      for (const idx of indices(outShape)) {
        let best = -1;
        let bestVal = -Infinity;
        for (let k = 0; k < v.shape[axis]; k++) {
          const full = [...idx];
          full.splice(axis, 0, k);
          const val = data[full.reduce((a, i, d) => a + i * v.strides[d], 0)];
          if (val > bestVal) {
            bestVal = val;
            best = k;
          }
        }
        expected.push(best);
      }
      expect(read(b, b.reduce('argmax', v, [axis]))).toEqual(expected);
    }
  });
});

describe('cumsum', () => {
  it('along each axis of a [2, 3, 2] tensor', () => {
    const x = view(upload(b, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [2, 3, 2]);
    expect(read(b, b.cumsum(x, 0))).toEqual([1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18]);
    expect(read(b, b.cumsum(x, 1))).toEqual([1, 2, 4, 6, 9, 12, 7, 8, 16, 18, 27, 30]);
    expect(read(b, b.cumsum(x, 2))).toEqual([1, 3, 3, 7, 5, 11, 7, 15, 9, 19, 11, 23]);
  });

  it('reads non-contiguous input and keeps int32', () => {
    // [[1, 2], [3, 4]] read transposed as [[1, 3], [2, 4]].
    const x = view(upload(b, [1, 2, 3, 4], 'int32'), [2, 2], [1, 2]);
    const out = b.cumsum(x, 1);
    expect(out.dtype).toBe('int32');
    expect(read(b, out)).toEqual([1, 4, 2, 6]);
    expect(read(b, b.cumsum(x, 0))).toEqual([1, 3, 3, 7]);
  });

  it('propagates NaN and accumulates in float64', () => {
    expect(read(b, b.cumsum(view(upload(b, [1, NaN, 1]), [3]), 0))).toEqual([1, NaN, NaN]);
    expect(read(b, b.cumsum(view(upload(b, [1e8, 1, -1e8]), [3]), 0))).toEqual([1e8, 1e8, 1]);
  });

  it('matches a naive running sum on random strided data', () => {
    const data = f32(random(40, 11));
    const v = view(upload(b, data), [5, 4], [1, 5]);
    const expected: number[] = [];
    for (let i = 0; i < 5; i++) {
      let acc = 0;
      for (let j = 0; j < 4; j++) expected.push((acc += data[i + 5 * j]));
    }
    expectClose(read(b, b.cumsum(v, 1)), f32(expected), 1e-6, 1e-7);
  });
});
