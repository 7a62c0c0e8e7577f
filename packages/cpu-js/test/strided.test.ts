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

function walk(shape: number[], strides: number[][], offsets: number[], anyOrder = false): number[][] {
  const it = new RowIter(shape, strides, offsets, anyOrder);
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

  it.each(cases)('shape %j strides %j in any order visits the same element tuples', (shape, strides, offsets) => {
    // Transpose the per-operand lists into one tuple per element, then compare as sets.
    const tuples = (lists: number[][]): string[] => lists[0]!.map((_, i) => lists.map((l) => l[i]).join(',')).sort();
    const expected = strides.map((s, k) => naiveOffsets(shape, s, offsets[k]!));
    expect(tuples(walk(shape, strides, offsets, true))).toEqual(tuples(expected));
  });

  it('walks a short inner dim outside a longer one when any order will do', () => {
    // A bias [4] broadcast over a batch of 64: rows of 4 become rows of 64.
    const it = new RowIter([64, 4], [[4, 1], [0, 1]], [0, 0], true);
    expect([it.rows, it.len, ...it.step]).toEqual([4, 64, 4, 0]);
    const rowMajor = new RowIter([64, 4], [[4, 1], [0, 1]], [0, 0]);
    expect([rowMajor.rows, rowMajor.len]).toEqual([64, 4]);
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
