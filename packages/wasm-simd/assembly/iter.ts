// Strided row iteration over a parameter block that the host fills (src/layout.ts):
//   word 0: operand count K, 1: row length, 2: row count, 3: outer dimension count D,
//   words 4..4+K: byte address of each operand's first element,
//   words 4+K..4+2K: byte step of each operand along a row,
//   then per outer dimension, outermost first: its size followed by K byte strides.
// The running row addresses and dimension counters live further into the same block.

const AT: usize = 512;
const COUNT: usize = 768;
/** Byte offset of kernel-specific extra parameters within the block (src/layout.ts's EXTRA_WORD). */
const EXTRA: usize = 1024;

@inline export function rowLen(p: usize): i32 {
  return load<i32>(p, 4);
}

@inline export function rowCount(p: usize): i32 {
  return load<i32>(p, 8);
}

/** Byte step of operand k along a row. */
@inline export function step(p: usize, k: i32): i32 {
  return load<i32>(p + ((<usize>(4 + load<i32>(p) + k)) << 2));
}

/** Byte address of operand k's first element in the current row. */
@inline export function at(p: usize, k: i32): usize {
  return load<usize>(p + AT + (<usize>k << 2));
}

/** Number of outer dimensions. */
@inline export function outerDims(p: usize): i32 {
  return load<i32>(p, 12);
}

/** Byte stride of operand k along outer dimension d (outermost first). */
@inline export function outerStride(p: usize, d: i32, k: i32): i32 {
  const K = load<i32>(p);
  return load<i32>(p + (<usize>(4 + 2 * K + d * (K + 1) + 1 + k) << 2));
}

/** i-th kernel-specific integer parameter. */
@inline export function extra(p: usize, i: i32): i32 {
  return load<i32>(p + EXTRA + (<usize>i << 2));
}

/** Positions the iterator on the first row. */
export function begin(p: usize): void {
  const K = load<i32>(p);
  const D = load<i32>(p, 12);
  for (let k = 0; k < K; k++) store<u32>(p + AT + (<usize>k << 2), load<u32>(p + (<usize>(4 + k) << 2)));
  for (let d = 0; d < D; d++) store<i32>(p + COUNT + (<usize>d << 2), 0);
}

/** Advances to the next row, odometer style. */
export function next(p: usize): void {
  const K = load<i32>(p);
  const D = load<i32>(p, 12);
  const dims = p + (<usize>(4 + 2 * K) << 2);
  for (let d = D - 1; d >= 0; d--) {
    const dim = dims + (<usize>(d * (K + 1)) << 2);
    const size = load<i32>(dim);
    const counter = p + COUNT + (<usize>d << 2);
    const count = load<i32>(counter) + 1;
    if (count < size) {
      store<i32>(counter, count);
      for (let k = 0; k < K; k++) {
        const a = p + AT + (<usize>k << 2);
        store<u32>(a, load<u32>(a) + load<i32>(dim + (<usize>(k + 1) << 2)));
      }
      return;
    }
    store<i32>(counter, 0);
    for (let k = 0; k < K; k++) {
      const a = p + AT + (<usize>k << 2);
      store<u32>(a, load<u32>(a) - load<i32>(dim + (<usize>(k + 1) << 2)) * (size - 1));
    }
  }
}
