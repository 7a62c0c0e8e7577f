import { mergeDims, numel } from '@flint/core';

/** Inner rows shorter than this are swapped with a longer outer dim... */
const SHORT_ROW = 8;
/** ...when the two dims hold at most this many elements. */
const SWAP_LIMIT = 1 << 16;

/**
 * Each operand's step when every one is either row-major contiguous (step 1) or one repeated value
 * (all strides 0, step 0), so the whole tensor is one row; `undefined` otherwise. The common case,
 * checked without building the merged layout.
 */
function flatSteps(shape: readonly number[], strides: readonly (readonly number[])[]): number[] | undefined {
  const steps: number[] = [];
  for (const s of strides) {
    let zero = true;
    let dense = true;
    for (let d = shape.length - 1, expected = 1; d >= 0; d--) {
      const size = shape[d];
      if (size === 1) continue;
      if (s[d] !== 0) zero = false;
      if (s[d] !== expected) dense = false;
      expected *= size;
    }
    if (!zero && !dense) return undefined;
    steps.push(dense ? 1 : 0);
  }
  return steps;
}

/**
 * Walks several same-shaped strided operands together in row-major order, one innermost row at a
 * time, so kernels keep a tight loop over `len` elements with per-operand steps `step[k]` starting
 * at `at[k]`, then call {@link RowIter.next}.
 *
 * Size-1 dimensions are dropped and adjacent dimensions that are contiguous with each other in
 * every operand are merged, so a contiguous tensor is walked as one long row.
 */
export class RowIter {
  /** Elements per row. */
  readonly len: number;
  /** Number of rows. */
  readonly rows: number;
  /** Innermost stride of each operand. */
  readonly step: number[];
  /** Offset of the current row's first element in each operand. */
  readonly at: number[];
  private readonly ops: number;
  /** Outer (non-innermost) dimension sizes, outermost first. */
  private readonly sizes: number[];
  /** Outer strides, flattened as [dim * ops + operand]. */
  private readonly strides: number[];
  private readonly counters: number[];

  /**
   * Iterator over `shape` for operands with the given strides and starting offsets. With
   * `anyOrder` (for kernels that address every operand, output included, through its strides)
   * the rows may run in another order when that makes them longer.
   */
  constructor(shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[], anyOrder = false) {
    const ops = strides.length;
    this.ops = ops;
    this.at = offsets.slice();
    const flat = flatSteps(shape, strides);
    if (flat) {
      this.len = numel(shape);
      this.rows = this.len === 0 ? 0 : 1;
      this.step = flat;
      this.sizes = this.strides = this.counters = [];
      return;
    }
    const { sizes: mSizes, strides: mStrides, empty } = mergeDims(shape, strides);
    if (empty) {
      this.len = 0;
      this.rows = 0;
      this.step = new Array<number>(ops).fill(0);
      this.sizes = [];
      this.strides = [];
      this.counters = [];
      return;
    }
    if (anyOrder && mSizes.length >= 2 && mSizes[0] < SHORT_ROW && mSizes[1] > mSizes[0] && mSizes[0] * mSizes[1] <= SWAP_LIMIT) {
      // Rows this short cost more in per-row overhead than their strided access saves (a bias
      // broadcast over a batch: [64, 4] + [4]), so walk the longer dim innermost; small tensors
      // only, whose strided reads stay in cache.
      [mSizes[0], mSizes[1]] = [mSizes[1], mSizes[0]];
      [mStrides[0], mStrides[1]] = [mStrides[1], mStrides[0]];
    }
    this.len = mSizes.length > 0 ? mSizes[0] : 1;
    this.step = mSizes.length > 0 ? mStrides[0] : new Array<number>(ops).fill(0);
    this.sizes = [];
    this.strides = [];
    let rows = 1;
    for (let d = mSizes.length - 1; d >= 1; d--) {
      this.sizes.push(mSizes[d]);
      this.strides.push(...mStrides[d]);
      rows *= mSizes[d];
    }
    this.rows = rows;
    this.counters = new Array<number>(this.sizes.length).fill(0);
  }

  /** Advances {@link at} to the next row (wrapping to the first after the last). */
  next(): void {
    const { ops, sizes, strides, counters, at } = this;
    for (let d = sizes.length - 1; d >= 0; d--) {
      const base = d * ops;
      if (++counters[d] < sizes[d]) {
        for (let k = 0; k < ops; k++) at[k] += strides[base + k];
        return;
      }
      counters[d] = 0;
      const back = sizes[d] - 1;
      for (let k = 0; k < ops; k++) at[k] -= strides[base + k] * back;
    }
  }
}
