/**
 * The host sort that backends with host-addressable memory share (cpu-js, wasm-simd): each line of
 * `count` contiguous values sorted stably, NaN after every number (before, when descending), as
 * PyTorch orders them.
 */
import type { AnyTypedArray } from './types.ts';

/** Ascending order with NaN last; 0 for ties (including -0 and 0), so a stable sort keeps their order. */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  const nanA = a !== a;
  const nanB = b !== b;
  return nanA === nanB ? 0 : nanA ? 1 : -1;
}

/**
 * Sorts `lines` lines of `count` values, line i at `src[srcStart + i * count ...]`, writing the
 * sorted values to `values` and each one's position in its line to `indices` (both from
 * `dstStart`).
 */
export function sortLines(
  src: AnyTypedArray, srcStart: number, lines: number, count: number, descending: boolean,
  values: AnyTypedArray, indices: Int32Array, dstStart: number,
): void {
  const order = new Int32Array(count);
  for (let line = 0; line < lines; line++) {
    const base = srcStart + line * count;
    for (let i = 0; i < count; i++) order[i] = i;
    // Ties break on position, so the order is stable whatever the engine's sort.
    order.sort(descending ? (i, j) => ascending(src[base + j]!, src[base + i]!) || i - j : (i, j) => ascending(src[base + i]!, src[base + j]!) || i - j);
    const out = dstStart + line * count;
    for (let i = 0; i < count; i++) {
      values[out + i] = src[base + order[i]!]!;
      indices[out + i] = order[i]!;
    }
  }
}
