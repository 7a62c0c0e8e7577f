import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistDataDir } from '../plugins/mnist-files.ts';
import { parseIdx } from '../src/idx.ts';

/** An IDX file of unsigned bytes: header 0, 0, 0x08, rank, then big-endian sizes, then `data`. */
function idx(shape: number[], data: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = 0x08;
  bytes[3] = shape.length;
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size));
  bytes.set(data, 4 + 4 * shape.length);
  return bytes;
}

describe('parseIdx', () => {
  it('reads the shape from the big-endian header and views the data after it', () => {
    const { shape, data } = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'x');
    expect(shape).toEqual([2, 3]);
    expect([...data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("reads MNIST's test labels: 10000 of them, the first three 7, 2, 1", () => {
    const { shape, data } = parseIdx(readFileSync(join(mnistDataDir(), 't10k-labels-idx1-ubyte')), 'labels');
    expect(shape).toEqual([10000]);
    expect([...data.subarray(0, 3)]).toEqual([7, 2, 1]);
  });

  it('refuses what is not an unsigned-byte IDX file, or is cut short, naming the file', () => {
    expect(() => parseIdx(new Uint8Array(2), 'a')).toThrow('a: an IDX file has a 4-byte header, got 2 bytes');
    const floats = idx([1], [0]);
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'b')).toThrow('b: not an unsigned-byte IDX file');
    expect(() => parseIdx(idx([2, 3], []).subarray(0, 8), 'c')).toThrow('c: header of rank 2 needs 12 bytes, got 8');
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]), 'd')).toThrow('d: shape [2, 3] needs 6 bytes of data, got 3');
  });
});
