/**
 * Host-side random draws: `randperm` and `randint` upload them, samplers and splits use them
 * directly (no device needed, so no synchronous read from a GPU backend).
 */
import type { Generator } from './generator.ts';

/** A random permutation of 0..n-1 (Fisher-Yates over the generator's stream). */
export function permutation(n: number, generator: Generator): Int32Array {
  const words = generator.uint32(n);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = words[i]! % (i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/** `count` integers uniform in [0, high), exact for any `high` up to 2^32. */
export function randomIndices(count: number, high: number, generator: Generator): Float64Array {
  const words = generator.uint32(count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = words[i]! % high;
  return out;
}
