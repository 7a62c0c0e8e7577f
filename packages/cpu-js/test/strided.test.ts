import { describe, expect, it } from 'vitest';
import { RowIter } from '../src/strided.ts';

/** Offsets of every element in row-major order, by direct multi-index arithmetic. */
function naiveOffsets(shape: number[], strides: number[], offset: number): number[] {
  const total = shape.reduce((a, b) => a * b, 1);
  const out: number[] = [];
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let off = offset;
    for (let d = shape.length - 1; d >= 0; d--) {
      off += (rem % shape[d]) * strides[d];
      rem = Math.floor(rem / shape[d]);
    }
    out.push(off);
  }
  return out;
}

function walk(shape: number[], strides: number[][], offsets: number[]): number[][] {
  const it = new RowIter(shape, strides, offsets);
  const out: number[][] = strides.map(() => []);
  for (let r = 0; r < it.rows; r++, it.next()) {
    for (let k = 0; k < strides.length; k++) {
      for (let i = 0; i < it.len; i++) out[k].push(it.at[k] + i * it.step[k]);
    }
  }
  return out;
}

describe('RowIter', () => {
  const cases: [number[], number[][], number[]][] = [
    [[], [[]], [5]],
    [[4], [[1]], [0]],
    [[2, 3, 4], [[12, 4, 1]], [0]],
    [[2, 3, 4], [[1, 2, 6], [12, 4, 1]], [3, 0]],
    [[3, 1, 2], [[0, 7, 1], [2, 9, 1]], [1, 2]],
    [[2, 2, 3], [[0, 3, 1], [6, 3, 1]], [0, 0]],
    [[4, 5], [[0, 1], [10, 2]], [0, 1]],
    [[3, 2, 2, 2], [[8, 4, 2, 1], [1, 12, 6, 3]], [2, 0]],
  ];
  it.each(cases)('shape %j strides %j visits every element in row-major order', (shape, strides, offsets) => {
    const got = walk(shape, strides, offsets);
    strides.forEach((s, k) => expect(got[k]).toEqual(naiveOffsets(shape, s, offsets[k])));
  });

  it('merges a contiguous tensor into one row', () => {
    const it = new RowIter([2, 3, 4], [[12, 4, 1]], [0]);
    expect([it.rows, it.len]).toEqual([1, 24]);
  });

  it('ignores the stride of size-1 dimensions when merging', () => {
    const it = new RowIter([2, 1, 3], [[3, 99, 1]], [0]);
    expect([it.rows, it.len]).toEqual([1, 6]);
  });

  it('has no rows when a dimension is empty', () => {
    const it = new RowIter([3, 0, 2], [[0, 2, 1]], [0]);
    expect(it.rows * it.len).toBe(0);
  });
});
