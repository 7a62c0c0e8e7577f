/** The IDX format MNIST ships in: a big-endian header (zero, type, rank, sizes), then the values. */

/** An IDX file's shape and its unsigned bytes, viewed over the file (no copy). */
export interface Idx {
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes (type 0x08); `name` is used in errors. */
export function parseIdx(bytes: Uint8Array, name: string): Idx {
  if (bytes.length < 4) throw new Error(`${name}: an IDX file has a 4-byte header, got ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== 0 || bytes[2] !== 0x08) throw new Error(`${name}: not an unsigned-byte IDX file`);
  const rank = bytes[3]!;
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw new Error(`${name}: header of rank ${rank} needs ${start} bytes, got ${bytes.length}`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length < start + size) throw new Error(`${name}: shape [${shape.join(', ')}] needs ${size} bytes of data, got ${bytes.length - start}`);
  return { shape, data: bytes.subarray(start, start + size) };
}
