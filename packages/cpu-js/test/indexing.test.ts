import { describe, expect, it } from 'vitest';
import { backend, read, upload, view } from './helpers.ts';

const b = backend();

// x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
const x = () => view(upload(b, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3]);

describe('gather', () => {
  it('axis 0 with repeated indices', () => {
    const index = view(upload(b, [2, 0, 2, 2, 2, 1], 'int32'), [2, 3]);
    const out = b.gather(x(), 0, index);
    expect(out.dtype).toBe('float32');
    // out[i][j] = x[index[i][j]][j]
    expect(read(b, out)).toEqual([7, 2, 9, 7, 8, 6]);
  });

  it('axis 1 with an index smaller than x in the other dimension', () => {
    const index = view(upload(b, [1, 1, 0, 2], 'int32'), [2, 2]);
    // out[i][j] = x[i][index[i][j]]
    expect(read(b, b.gather(x(), 1, index))).toEqual([2, 2, 4, 6]);
  });

  it('broadcast (stride-0) index and transposed x', () => {
    // xt = x transposed = [[1, 4, 7], [2, 5, 8], [3, 6, 9]]
    const xt = view(upload(b, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3], [1, 3]);
    const index = view(upload(b, [2, 0], 'int32'), [3, 2], [0, 1]);
    expect(read(b, b.gather(xt, 1, index))).toEqual([7, 1, 8, 2, 9, 3]);
    const col = view(upload(b, [1, 0, 1], 'int32'), [3, 3], [1, 0]);
    expect(read(b, b.gather(xt, 0, col))).toEqual([2, 5, 8, 1, 4, 7, 2, 5, 8]);
  });

  it('gathers int32 and bool values along a middle axis', () => {
    // y[i][j][k] = 100 i + 10 j + k, shape [2, 3, 2]
    const data = [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121];
    const y = view(upload(b, data, 'int32'), [2, 3, 2]);
    const index = view(upload(b, [2, 0, 1, 1], 'int32'), [2, 1, 2]);
    const out = b.gather(y, 1, index);
    expect(out.dtype).toBe('int32');
    expect(read(b, out)).toEqual([20, 1, 110, 111]);
    const mask = view(upload(b, [1, 0, 0, 1], 'bool'), [2, 2]);
    expect(read(b, b.gather(mask, 1, view(upload(b, [1, 0, 1, 1], 'int32'), [2, 2])))).toEqual([0, 1, 1, 1]);
  });
});

describe('scatterAdd', () => {
  it('axis 0 accumulates repeated indices', () => {
    const base = view(upload(b, new Array(9).fill(0)), [3, 3]);
    const index = view(upload(b, [0, 1, 2, 0, 1, 0], 'int32'), [2, 3]);
    const src = view(upload(b, [1, 2, 3, 10, 20, 30]), [2, 3]);
    // out[index[i][j]][j] += src[i][j]
    const out = b.scatterAdd(base, 0, index, src);
    expect(read(b, out)).toEqual([11, 0, 30, 0, 22, 0, 0, 0, 3]);
  });

  it('axis 1 onto a non-zero strided base with a stride-0 index', () => {
    // base = x transposed; index row [2, 2] repeated for every row.
    const base = view(upload(b, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3], [1, 3]);
    const index = view(upload(b, [2, 2], 'int32'), [3, 2], [0, 1]);
    const src = view(upload(b, [1, 2, 3, 4, 5, 6]), [3, 2]);
    const out = b.scatterAdd(base, 1, index, src);
    expect(read(b, out)).toEqual([1, 4, 10, 2, 5, 15, 3, 6, 20]);
  });

  it('int32 with a transposed src, leaving base untouched', () => {
    const baseStorage = upload(b, [1, 1, 1, 1], 'int32');
    const index = view(upload(b, [1, 1, 1, 0], 'int32'), [2, 2]);
    // src read transposed: [[1, 3], [2, 4]]
    const src = view(upload(b, [1, 2, 3, 4], 'int32'), [2, 2], [1, 2]);
    const out = b.scatterAdd(view(baseStorage, [2, 2]), 1, index, src);
    expect(out.dtype).toBe('int32');
    expect(read(b, out)).toEqual([1, 5, 5, 3]);
    expect(read(b, baseStorage)).toEqual([1, 1, 1, 1]);
  });
});
