/**
 * How two results of one case are compared. Shapes and dtypes must match exactly, int32 and bool
 * values exactly. Float values match when they are both NaN, the same infinity, within the
 * family's ulps of each other, or within `atol + rtol * |expected|` where atol grows with the
 * magnitude of the terms a reduction-like op sums (`scale`), since float32 sums of those terms
 * legitimately differ by rounding order. Zeros match regardless of sign: -0 and +0 differ only
 * where a later op divides by them or takes their reciprocal, and the fuzzer checks such ops
 * (reciprocal, div, log of -0) directly, where the sign shows as an infinity of the wrong sign.
 */
import type { Family } from './catalogue.ts';

export interface FuzzTolerance {
  readonly rtol: number;
  /** Absolute tolerance, plus `scaled * scale` for the case's term magnitude. */
  readonly atol: number;
  readonly scaled: number;
  /** Units in the last place of float32 always accepted. */
  readonly ulps: number;
}

/**
 * Forward tolerances. 'exact': results that are selections or exactly rounded (abs, max, floor,
 * gather...); 'elementwise': one rounding (add, mul, square); 'transcendental': relative only, so
 * tiny and subnormal results count (exp(-88) flushed to 0 is an error, not 6e-39 of absolute
 * slack); 'bounded': outputs of magnitude at most 1 (sin, tanh, erf), absolute near zero.
 */
const forward: Record<Family, FuzzTolerance> = {
  exact: { rtol: 0, atol: 0, scaled: 0, ulps: 0 },
  elementwise: { rtol: 0, atol: 0, scaled: 0, ulps: 2 },
  transcendental: { rtol: 2e-5, atol: 0, scaled: 0, ulps: 4 },
  bounded: { rtol: 2e-5, atol: 2e-6, scaled: 0, ulps: 4 },
  reduction: { rtol: 1e-5, atol: 1e-6, scaled: 1e-6, ulps: 4 },
  matmul: { rtol: 1e-5, atol: 1e-6, scaled: 2e-6, ulps: 4 },
  conv: { rtol: 1e-5, atol: 1e-6, scaled: 2e-6, ulps: 4 },
};

/** Gradients compose several ops: the forward family's, loosened to at least 1e-4 relative. */
export function toleranceOf(family: Family, gradient: boolean): FuzzTolerance {
  const t = forward[family];
  if (!gradient) return t;
  return { rtol: Math.max(t.rtol, 1e-4), atol: Math.max(t.atol, 1e-6), scaled: Math.max(t.scaled, 1e-5), ulps: Math.max(t.ulps, 8) };
}

/** The largest finite float32. */
export const floatMax = 3.4028234663852886e38;

/**
 * Relative tolerance of a gradient against finite differences on the host, relative to the sum
 * of the magnitudes of the terms it adds up: elementwise gradients are one product of rounded
 * factors; the others sum terms in float32.
 */
export function gradientRtol(family: Family): number {
  return family === 'reduction' || family === 'matmul' || family === 'conv' ? 1e-4 : 2e-5;
}

/** Gradients of inputs shared by several outputs: tolerance relative to the largest gradient. */
export const sharedGradientRtol = 1e-6;

/** For backwards that cancel terms (softmax, var): tolerance relative to the loss scale. */
export const cancellationRtol = 1e-6;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** The float32 bit pattern as a monotonic integer (negatives mirrored below zero). */
function ordered(v: number): number {
  f32[0] = v;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** The absolute scale of a case's tolerance: its term magnitude, over sqrt(terms) for long sums. */
export const toleranceScale = (scale: number, terms = 1): number => scale / Math.sqrt(Math.max(terms, 1));

export function floatsMatch(a: number, e: number, tol: FuzzTolerance, scale: number): boolean {
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  if (Math.abs(ordered(a) - ordered(e)) <= tol.ulps) return true;
  return Math.abs(a - e) <= tol.atol + tol.scaled * scale + tol.rtol * Math.abs(e);
}

/** A host-side result: shape, dtype and values. */
export interface Result {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: ArrayLike<number>;
}

/** Why `actual` does not match `expected`, or undefined when it does. */
export function mismatch(actual: Result, expected: Result, tol: FuzzTolerance, scale: number): string | undefined {
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape.join(', ')}] vs [${expected.shape.join(', ')}]`;
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype} vs ${expected.dtype}`;
  const float = actual.dtype === 'float32';
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const e = Number(expected.data[i]);
    if (float ? !floatsMatch(a, e, tol, scale) : a !== e) return `at [${i}] ${a} vs ${e}`;
  }
  return undefined;
}
