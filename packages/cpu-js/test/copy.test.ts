import { describe, expect, it } from 'vitest';
import { backend, read, upload, view } from './helpers.ts';

const b = backend();

describe('copy', () => {
  it('writes into a strided destination window', () => {
    const dst = upload(b, new Array(12).fill(0));
    // dst viewed as [3, 4]; write a [2, 2] block into rows 1..2, columns 1 and 3.
    b.copy(view(upload(b, [1, 2, 3, 4]), [2, 2]), view(dst, [2, 2], [4, 2], 5));
    expect(read(b, dst)).toEqual([0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4]);
  });

  it('copies a transposed source and a broadcast source', () => {
    const dst = upload(b, new Array(6).fill(0), 'int32');
    b.copy(view(upload(b, [1, 2, 3, 4, 5, 6], 'int32'), [2, 3], [1, 2]), view(dst, [2, 3]));
    expect(read(b, dst)).toEqual([1, 3, 5, 2, 4, 6]);
    // Column-major destination from a broadcast row.
    b.copy(view(upload(b, [7, 8, 9], 'int32'), [2, 3], [0, 1]), view(dst, [2, 3], [1, 2]));
    expect(read(b, dst)).toEqual([7, 7, 8, 8, 9, 9]);
  });

  it('copies bool', () => {
    const dst = b.alloc(3, 'bool');
    b.copy(view(upload(b, [1, 0, 1], 'bool'), [3], [1]), view(dst, [3], [1]));
    expect(read(b, dst)).toEqual([1, 0, 1]);
  });

  it('overlapping windows of one storage copy the old values', () => {
    // Shifting right: an in-order loop without a snapshot would smear s[0] across the row.
    const s = upload(b, [1, 2, 3, 4, 5]);
    b.copy(view(s, [4], [1], 0), view(s, [4], [1], 1));
    expect(read(b, s)).toEqual([1, 1, 2, 3, 4]);
    const t = upload(b, [1, 2, 3, 4, 5]);
    b.copy(view(t, [4], [1], 1), view(t, [4], [1], 0));
    expect(read(b, t)).toEqual([2, 3, 4, 5, 5]);
  });
});
