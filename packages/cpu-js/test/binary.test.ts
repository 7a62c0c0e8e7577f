import type { BinaryOp } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, f32, read, upload, view } from './helpers.ts';

const b = backend();
const inf = Infinity;

function run(op: BinaryOp, x: number[], y: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32'): number[] {
  return read(b, b.binary(op, view(upload(b, x, dtype), [x.length]), view(upload(b, y, dtype), [y.length])));
}

/** Wrapping int32 product/power by exact BigInt arithmetic. */
const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));

describe('binary arithmetic', () => {
  const x = [1.5, -2, 0, NaN, inf, 3];
  const y = [0.5, 4, -0, 1, inf, NaN];
  const cases: [BinaryOp, number[]][] = [
    ['add', [2, 2, 0, NaN, inf, NaN]],
    ['sub', [1, -6, 0, NaN, NaN, NaN]],
    ['mul', [0.75, -8, -0, NaN, inf, NaN]],
    ['div', [3, -0.5, NaN, NaN, NaN, NaN]],
    ['maximum', [1.5, 4, 0, NaN, inf, NaN]],
    ['minimum', [0.5, -2, 0, NaN, inf, NaN]],
  ];
  it.each(cases)('float32 %s', (op, expected) => {
    expectClose(run(op, x, y), expected);
  });

  it('float32 pow follows Math.pow', () => {
    expectClose(run('pow', [2, 4, -8, 0, 2, NaN, -2], [10, 0.5, 1 / 3, 0, -1, 0, 3]), [1024, 2, NaN, 1, 0.5, 1, -8]);
  });

  it('rounds float32 results', () => {
    expect(run('div', [1], [3])).toEqual(f32([1 / 3]));
    expect(run('add', [16777216], [1])).toEqual([16777216]);
  });

  it('int32 wraps', () => {
    const max = 2147483647;
    const min = -2147483648;
    expect(run('add', [max, 5], [1, -7], 'int32')).toEqual([min, -2]);
    expect(run('sub', [min], [1], 'int32')).toEqual([max]);
    expect(run('mul', [65536, 123456789, -7], [65536, 987654321, 6], 'int32')).toEqual([
      0, wrap(123456789n * 987654321n), -42,
    ]);
    expect(run('div', [7, -7, 9, min], [2, 2, -3, -1], 'int32')).toEqual([3, -3, -3, min]);
    expect(run('pow', [3, 2, 2, 3, -3, 5, 1, -1, 2], [4, 31, 32, 40, 3, 0, -3, -3, -1], 'int32')).toEqual([
      81, min, 0, wrap(3n ** 40n), -27, 1, 1, -1, 0,
    ]);
    expect(run('maximum', [3, -5], [-1, -4], 'int32')).toEqual([3, -4]);
    expect(run('minimum', [3, -5], [-1, -4], 'int32')).toEqual([-1, -5]);
  });
});

describe('binary comparisons and logic', () => {
  const x = [1, 2, 3, NaN, NaN, -0];
  const y = [2, 2, 2, 1, NaN, 0];
  const cases: [BinaryOp, number[]][] = [
    ['eq', [0, 1, 0, 0, 0, 1]],
    ['ne', [1, 0, 1, 1, 1, 0]],
    ['lt', [1, 0, 0, 0, 0, 0]],
    ['le', [1, 1, 0, 0, 0, 1]],
    ['gt', [0, 0, 1, 0, 0, 0]],
    ['ge', [0, 1, 1, 0, 0, 1]],
  ];
  it.each(cases)('%s returns bool', (op, expected) => {
    const out = b.binary(op, view(upload(b, x), [6]), view(upload(b, y), [6]));
    expect(out.dtype).toBe('bool');
    expect(b.readSync!(out)).toBeInstanceOf(Uint8Array);
    expect(read(b, out)).toEqual(expected);
  });

  it('logicalAnd / logicalOr treat nonzero and NaN as true', () => {
    const p = [0, 0, 2, -1, NaN, 0];
    const q = [0, 5, 0, 0.5, 1, NaN];
    expect(run('logicalAnd', p, q)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(run('logicalOr', p, q)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(run('logicalAnd', [1, 1, 0], [1, 0, 0], 'bool')).toEqual([1, 0, 0]);
    expect(run('logicalOr', [1, 1, 0], [1, 0, 0], 'bool')).toEqual([1, 1, 0]);
    expect(run('eq', [3, 4], [3, 5], 'int32')).toEqual([1, 0]);
  });
});

describe('binary strides', () => {
  it('broadcasts with stride-0 views and reads transposed views', () => {
    // a: storage [[1, 2, 3], [4, 5, 6]] read transposed as [3, 2] = [[1, 4], [2, 5], [3, 6]].
    const a = view(upload(b, [1, 2, 3, 4, 5, 6]), [3, 2], [1, 3]);
    // row vector [10, 20] broadcast over 3 rows; column vector [100, 200, 300] over 2 columns.
    const row = view(upload(b, [10, 20]), [3, 2], [0, 1]);
    const col = view(upload(b, [100, 200, 300]), [3, 2], [1, 0]);
    expect(read(b, b.binary('add', a, row))).toEqual([11, 24, 12, 25, 13, 26]);
    expect(read(b, b.binary('mul', a, col))).toEqual([100, 400, 400, 1000, 900, 1800]);
    expect(read(b, b.binary('sub', row, col))).toEqual([-90, -80, -190, -180, -290, -280]);
    expect(read(b, b.binary('gt', a, view(upload(b, [3.5]), [3, 2], [0, 0])))).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('handles offsets, 3-d mixed strides and empty shapes', () => {
    const data = Array.from({ length: 30 }, (_, i) => i);
    const s = upload(b, data);
    // x[i, j, k] = data[2 + 12 i + 1 j + 4 k] for shape [2, 3, 2]; y[i, j, k] = data[k] (broadcast).
    const x = view(s, [2, 3, 2], [12, 1, 4], 2);
    const y = view(s, [2, 3, 2], [0, 0, 1]);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) expected.push(2 + 12 * i + j + 4 * k + k);
    expect(read(b, b.binary('add', x, y))).toEqual(expected);
    expect(b.binary('add', view(s, [0, 3]), view(s, [0, 3])).size).toBe(0);
  });
});

describe('where', () => {
  it('selects with a broadcast bool condition', () => {
    const cond = view(upload(b, [1, 0, 1], 'bool'), [2, 3], [0, 1]);
    const a = view(upload(b, [1, 2, 3, 4, 5, 6]), [2, 3]);
    const y = view(upload(b, [-1, -2]), [2, 3], [1, 0]);
    const out = b.where(cond, a, y);
    expect(out.dtype).toBe('float32');
    expect(read(b, out)).toEqual([1, -1, 3, 4, -2, 6]);
    const ints = b.where(view(upload(b, [0, 1], 'bool'), [2]), view(upload(b, [7, 8], 'int32'), [2]), view(upload(b, [9, 10], 'int32'), [2]));
    expect(ints.dtype).toBe('int32');
    expect(read(b, ints)).toEqual([9, 8]);
  });
});

describe('cast', () => {
  it('float32 to int32 truncates toward zero', () => {
    const out = b.cast(view(upload(b, [1.9, -1.9, 0, -0.5, 2.5, 1e6 + 0.5]), [6]), 'int32');
    expect(out.dtype).toBe('int32');
    expect(read(b, out)).toEqual([1, -1, 0, 0, 2, 1000000]);
  });

  it('anything to bool is != 0, NaN included', () => {
    expect(read(b, b.cast(view(upload(b, [0, -0, 0.5, NaN, -inf]), [5]), 'bool'))).toEqual([0, 0, 1, 1, 1]);
    expect(read(b, b.cast(view(upload(b, [0, -3, 7], 'int32'), [3]), 'bool'))).toEqual([0, 1, 1]);
  });

  it('bool and int32 to float32', () => {
    expect(read(b, b.cast(view(upload(b, [0, 1, 1], 'bool'), [3]), 'float32'))).toEqual([0, 1, 1]);
    expect(read(b, b.cast(view(upload(b, [0, 1], 'bool'), [2]), 'int32'))).toEqual([0, 1]);
    expect(read(b, b.cast(view(upload(b, [16777217, -5], 'int32'), [2]), 'float32'))).toEqual([16777216, -5]);
  });

  it('reads strided input', () => {
    const out = b.cast(view(upload(b, [0.5, 1.5, 2.5, 3.5]), [2, 2], [1, 2]), 'int32');
    expect(read(b, out)).toEqual([0, 2, 1, 3]);
  });
});
