import { describe, expect, it } from 'vitest';
import { backends, random, read, upload, view } from './helpers.ts';

describe('scalar operands and in-place results', () => {
  it('a number operand is that value at every position, on either side', async () => {
    const { wasm } = await backends();
    const x = view(upload(wasm, [1, -2, 3, 8, 0.5]), [5]);
    expect(read(wasm, wasm.binary('mul', x, 0.5))).toEqual([0.5, -1, 1.5, 4, 0.25]);
    expect(read(wasm, wasm.binary('sub', 10, x))).toEqual([9, 12, 7, 2, 9.5]);
    expect(read(wasm, wasm.binary('gt', x, 1))).toEqual([0, 0, 1, 1, 0]);
    const ints = view(upload(wasm, [7, -7], 'int32'), [2]);
    expect(read(wasm, wasm.binary('div', ints, 2))).toEqual([3, -3]);
    const cond = view(upload(wasm, [1, 0, 1, 0, 0], 'bool'), [5]);
    expect(read(wasm, wasm.where(cond, x, -1))).toEqual([1, -1, 3, -1, -1]);
    expect(read(wasm, wasm.where(cond, 0, x))).toEqual([0, -2, 0, 8, 0.5]);
  });

  it('writes into a strided window, including the first operand itself', async () => {
    const { wasm, cpu } = await backends();
    const data = random(24, 3);
    const grad = random(12, 4);
    const run = (b: typeof wasm) => {
      const p = upload(b, data);
      // Columns 1..3 of a [4, 6] storage, transposed: a [3, 4] window with strides [1, 6], offset 1.
      const window = view(p, [3, 4], [1, 6], 1);
      const returned = b.binary('add', window, view(upload(b, grad), [3, 4]), window);
      expect(returned).toBe(p);
      b.binary('mul', window, 2, window);
      return read(b, p);
    };
    expect(run(wasm)).toEqual(run(cpu));
  });
});
