/** Reads the IDX files MNIST ships in: big-endian header, then raw unsigned bytes. */
import { readFileSync } from 'node:fs';

export interface Idx {
  shape: number[];
  data: Uint8Array;
}

export function readIdx(path: string): Idx {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || bytes[2] !== 0x08) throw new Error(`${path}: not an unsigned-byte IDX file`);
  const rank = bytes[3]!;
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * rank;
  return { shape, data: bytes.subarray(start, start + shape.reduce((a, b) => a * b, 1)) };
}
