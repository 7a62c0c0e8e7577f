import { describe, expect, it } from 'vitest';
import { writeRows, type Operand } from '../src/layout.ts';
import { backends, random, read, upload, view } from './helpers.ts';

/** Header fields of a written block: [operands, row length, rows, outer dims, ...steps in bytes]. */
function header(shape: number[], operands: Operand[]): number[] {
  const block = new Int32Array(256);
  writeRows(block, 0, shape, operands);
  const K = operands.length;
  return [block[1]!, block[2]!, block[3]!, ...Array.from(block.subarray(4 + K, 4 + 2 * K))];
}

const f32 = (strides: number[]): Operand => ({ addr: 0, strides, bytes: 4 });

describe('writeRows', () => {
  it('merges a contiguous tensor into one row', () => {
    expect(header([2, 3, 4], [f32([12, 4, 1]), f32([12, 4, 1])])).toEqual([24, 1, 0, 4, 4]);
  });

  it('drops size-1 dimensions whatever their stride', () => {
    expect(header([2, 1, 3], [f32([3, 99, 1])])).toEqual([6, 1, 0, 4]);
  });

  it('keeps a broadcast operand from merging, and merges what every operand allows', () => {
    // Row-vector broadcast over 5 rows: rows stay separate, the inner step of the broadcast is 4.
    expect(header([5, 8], [f32([8, 1]), f32([0, 1])])).toEqual([8, 5, 1, 4, 4]);
    // [2, 3, 4] with the broadcast on the outermost dim: the inner two dims still merge.
    expect(header([2, 3, 4], [f32([12, 4, 1]), f32([0, 4, 1])])).toEqual([12, 2, 1, 4, 4]);
  });

  it('has no rows when a dimension is empty', () => {
    const [len, rows] = header([3, 0, 2], [f32([0, 2, 1])]);
    expect(len * rows).toBe(0);
  });
});

describe('strided and contiguous paths agree', () => {
  it('binary and unary ops on transposed, offset and broadcast views match cpu-js', async () => {
    const { wasm, cpu } = await backends();
    const data = random(7 * 9 * 5 + 3, 1);
    const cases: [number[], number[], number][] = [
      [[7, 9, 5], [45, 5, 1], 0], // contiguous: the SIMD path
      [[5, 9, 7], [1, 5, 45], 0], // fully transposed
      [[7, 9, 5], [45, 5, 1], 3], // offset
      [[7, 9, 5], [0, 5, 1], 2], // broadcast outer
      [[7, 9, 5], [45, 5, 0], 1], // broadcast inner (scalar per row)
    ];
    for (const [shape, strides, offset] of cases) {
      const w = upload(wasm, data);
      const c = upload(cpu, data);
      const other = random(shape.reduce((a, b) => a * b, 1), 2);
      const wo = upload(wasm, other);
      const co = upload(cpu, other);
      for (const op of ['add', 'mul', 'div', 'maximum', 'gt'] as const) {
        expect(read(wasm, wasm.binary(op, view(w, shape, strides, offset), view(wo, shape))), `${op} ${strides}`)
          .toEqual(read(cpu, cpu.binary(op, view(c, shape, strides, offset), view(co, shape))));
        expect(read(wasm, wasm.binary(op, view(wo, shape), view(w, shape, strides, offset))), `${op} ${strides} swapped`)
          .toEqual(read(cpu, cpu.binary(op, view(co, shape), view(c, shape, strides, offset))));
      }
      for (const op of ['relu', 'neg', 'sqrt'] as const) {
        expect(read(wasm, wasm.unary(op, view(w, shape, strides, offset))), `${op} ${strides}`)
          .toEqual(read(cpu, cpu.unary(op, view(c, shape, strides, offset))));
      }
      // The f32x4 approximations (test/vector-math.test.ts) give each element the same value in
      // every layout: the contiguous result of a copy of the view.
      for (const op of ['exp', 'tanh', 'gelu', 'silu'] as const) {
        const copy = wasm.alloc(shape.reduce((a, b) => a * b, 1), 'float32');
        wasm.copy(view(w, shape, strides, offset), view(copy, shape));
        expect(read(wasm, wasm.unary(op, view(w, shape, strides, offset))), `${op} ${strides}`)
          .toEqual(read(wasm, wasm.unary(op, view(copy, shape))));
      }
      const sumW = read(wasm, wasm.reduce('sum', view(w, shape, strides, offset), [2]));
      const sumC = read(cpu, cpu.reduce('sum', view(c, shape, strides, offset), [2]));
      expect(sumW).toEqual(sumC);
    }
  });

  it('transposes through the tiled path with partial tiles, converting dtypes', async () => {
    const { wasm } = await backends();
    const [R, C] = [37, 21];
    const data = Array.from({ length: R * C }, (_, i) => i + 0.5);
    const s = upload(wasm, data);
    // [C, R] read from the row-major [R, C] storage: element [c, r] = data[r * C + c].
    const expected: number[] = [];
    for (let c = 0; c < C; c++) for (let r = 0; r < R; r++) expected.push(data[r * C + c]!);
    const dst = wasm.alloc(R * C, 'float32');
    wasm.copy(view(s, [C, R], [1, C]), view(dst, [C, R]));
    expect(read(wasm, dst)).toEqual(expected);
    expect(read(wasm, wasm.cast(view(s, [C, R], [1, C]), 'int32'))).toEqual(expected.map(Math.trunc));
  });

  it('copies between overlapping windows of one storage', async () => {
    const { wasm } = await backends();
    const s = upload(wasm, [0, 1, 2, 3, 4, 5]);
    // dst [1..5] <- src [0..4]: a naive forward loop would smear element 0.
    wasm.copy(view(s, [5], [1], 0), view(s, [5], [1], 1));
    expect(read(wasm, s)).toEqual([0, 0, 1, 2, 3, 4]);
  });
});
