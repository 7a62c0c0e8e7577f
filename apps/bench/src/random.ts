/**
 * A seeded PRNG (mulberry32) so that every system, in its own process, trains on the same arrays:
 * the data are made here in plain JS and uploaded, never drawn from a library's own generator.
 */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Plain loops: Float32Array.from(iterable, fn) is several times slower, and the matmul inputs are millions long.
function fill<T extends Float32Array | Int32Array>(out: T, value: () => number): T {
  for (let i = 0; i < out.length; i++) out[i] = value();
  return out;
}

export function uniform(next: () => number, n: number, bound: number): Float32Array {
  return fill(new Float32Array(n), () => (2 * next() - 1) * bound);
}

/** Standard normal samples by Box-Muller (1 - u keeps the log argument in (0, 1]). */
export function normal(next: () => number, n: number): Float32Array {
  return fill(new Float32Array(n), () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()));
}

export function classes(next: () => number, n: number, count: number): Int32Array {
  return fill(new Int32Array(n), () => Math.floor(next() * count));
}
