// f32x4 forms of the transcendental functions, for contiguous float32 rows: exact range
// reductions, then float32 polynomials (Cephes' minimax coefficients). exp and log stay within 2
// ulps of the exact value, the functions built on them within 3 (tanh-GELU 16, from rounding its
// cubic argument) on normal and subnormal results (see test/vector-math.test.ts, which sweeps them
// against the float64 scalar forms); the scalar float64 forms in scalar.ts cost about 10 ns an
// element, these well under 1 ns. Where a function's float32 form would cancel (the far negative
// tail of tanh-GELU, SiLU where its sigmoid is subnormal), elements below a stated bound take the
// float64 path instead.

@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** a * b + c, rounded twice (wasm SIMD has no fused multiply-add without relaxed SIMD). */
@inline function mulAdd(a: v128, b: v128, c: f32): v128 {
  return f32x4.add(f32x4.mul(a, b), splat(c));
}

/** 1.5 * 2^23: adding it rounds a float32 below 2^22 in magnitude to an integer, held in the low mantissa bits. */
const ROUNDER: f32 = 12582912;

/** y * 2^n for integer n in [-150, 128] (as int32 lanes), by two normal powers of two, so a subnormal result rounds once. */
@inline function scaleByPow2(y: v128, n: v128): v128 {
  const half = i32x4.shr_s(n, 1);
  const rest = i32x4.sub(n, half);
  const bias = i32x4.splat(127);
  return f32x4.mul(f32x4.mul(y, i32x4.shl(i32x4.add(half, bias), 23)), i32x4.shl(i32x4.add(rest, bias), 23));
}

/**
 * e^(hi + lo), with lo added after hi's exact reduction, so that the rounding of the sum hi + lo
 * never reaches the result: NaN stays NaN, overflow gives +Inf, results below the subnormal range 0.
 */
@inline function expSum(hi: v128, lo: v128): v128 {
  const sum = f32x4.add(hi, lo);
  // pmax/pmin keep the first operand when it is NaN; beyond these bounds e^x is Inf or 0.
  const x = f32x4.pmin(f32x4.pmax(sum, splat(-104)), splat(89));
  // n = round(x / ln 2), as a float and as int32 lanes, by the rounding constant.
  const shifted = f32x4.add(f32x4.mul(x, splat(1.44269504)), splat(ROUNDER));
  const n = f32x4.sub(shifted, splat(ROUNDER));
  const ni = i32x4.sub(shifted, i32x4.splat(0x4b400000));
  // In range, hi is reduced exactly and lo added after; clamped (or NaN), the bound itself.
  const inRange = f32x4.eq(x, sum);
  const base = v128.bitselect(hi, x, inRange);
  // Cody-Waite: n * 0.693359375 is exact (9 significant bits, |n| <= 150), and so is base less it.
  const reduced = f32x4.sub(f32x4.sub(base, f32x4.mul(n, splat(0.693359375))), f32x4.mul(n, splat(-2.12194440e-4)));
  const r = f32x4.add(reduced, v128.and(lo, inRange));
  let p = mulAdd(splat(1.9875691500e-4), r, 1.3981999507e-3);
  p = mulAdd(p, r, 8.3334519073e-3);
  p = mulAdd(p, r, 4.1665795894e-2);
  p = mulAdd(p, r, 1.6666665459e-1);
  p = mulAdd(p, r, 5.0000001201e-1);
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), splat(1));
  return scaleByPow2(y, ni);
}

/** e^x. */
export function exp4(x: v128): v128 {
  return expSum(x, f32x4.splat(0));
}

/** Natural log: subnormal inputs exact, log(±0) = -Inf, negatives NaN, log(Inf) = Inf. */
export function log4(x: v128): v128 {
  // Subnormal inputs are scaled by 2^23 into the normal range, their exponent corrected below.
  const subnormal = f32x4.lt(f32x4.abs(x), splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, splat(8388608)), x, subnormal);
  // x = m 2^e with m in [sqrt(1/2), sqrt(2)), so that m - 1 is small and exact.
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(subnormal, i32x4.splat(23)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const low = f32x4.lt(m, splat(0.707106781186547524));
  e = i32x4.add(e, low);
  m = f32x4.sub(f32x4.add(m, v128.and(m, low)), splat(1));
  const z = f32x4.mul(m, m);
  let p = mulAdd(splat(7.0376836292e-2), m, -1.1514610310e-1);
  p = mulAdd(p, m, 1.1676998740e-1);
  p = mulAdd(p, m, -1.2420140846e-1);
  p = mulAdd(p, m, 1.4249322787e-1);
  p = mulAdd(p, m, -1.6668057665e-1);
  p = mulAdd(p, m, 2.0000714765e-1);
  p = mulAdd(p, m, -2.4999993993e-1);
  p = mulAdd(p, m, 3.3333331174e-1);
  const fe = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = f32x4.add(y, f32x4.mul(fe, splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, splat(0.5)));
  const result = f32x4.add(f32x4.add(m, y), f32x4.mul(fe, splat(0.693359375)));
  // Special inputs: ±0 -> -Inf; negatives -> NaN; +Inf and NaN -> themselves.
  const zero = f32x4.eq(x, splat(0));
  const special = v128.or(f32x4.eq(x, splat(<f32>Infinity)), f32x4.ne(x, x));
  let out = v128.bitselect(splat(-<f32>Infinity), result, zero);
  out = v128.bitselect(splat(<f32>NaN), out, f32x4.lt(x, splat(0)));
  return v128.bitselect(x, out, special);
}

/** tanh: an odd polynomial below 0.625, else 1 - 2 / (e^(2|x|) + 1) with x's sign. */
export function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = exp4(f32x4.add(a, a));
  const far = f32x4.sub(splat(1), f32x4.div(splat(2), f32x4.add(e, splat(1))));
  const signed = v128.or(far, v128.and(x, i32x4.splat(<i32>0x80000000)));
  const z = f32x4.mul(x, x);
  let p = mulAdd(splat(-5.70498872745e-3), z, 2.06390887954e-2);
  p = mulAdd(p, z, -5.37397155531e-2);
  p = mulAdd(p, z, 1.33314422036e-1);
  p = mulAdd(p, z, -3.33332819422e-1);
  const near = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  return v128.bitselect(near, signed, f32x4.lt(a, splat(0.625)));
}

/** The logistic sigmoid as 1 / (1 + e^-x) or e^x / (1 + e^x): exp's argument is never positive. */
export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const numerator = v128.bitselect(splat(1), e, f32x4.ge(x, splat(0)));
  return f32x4.div(numerator, f32x4.add(splat(1), e));
}

/** log(1 + u) for u >= 0 as log(w) u / (w - 1) with w = 1 + u, which cancels w's rounding; u itself where w rounds to 1. */
@inline function log1pNonNegative(u: v128): v128 {
  const w = f32x4.add(splat(1), u);
  const d = f32x4.sub(w, splat(1));
  const corrected = f32x4.mul(log4(w), f32x4.div(u, d));
  return v128.bitselect(u, corrected, f32x4.eq(d, splat(0)));
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|), without overflow or cancellation. */
export function softplus4(x: v128): v128 {
  return f32x4.add(f32x4.max(x, splat(0)), log1pNonNegative(exp4(f32x4.neg(f32x4.abs(x)))));
}

/** x sigmoid(x). */
export function silu4(x: v128): v128 {
  return f32x4.mul(x, sigmoid4(x));
}

/**
 * Tanh-approximated GELU, 0.5 x (1 + tanh(u)), as x sigmoid(2u): the same function, and 1 + tanh(u)
 * never cancels. Below x = -3 the scalar path computes the tanh form itself (see scalarLanes).
 */
export function geluTanh4(x: v128): v128 {
  const cube = f32x4.mul(f32x4.mul(x, x), x);
  const u = f32x4.mul(f32x4.add(x, f32x4.mul(cube, splat(0.044715))), splat(1.5957691216057308));
  return f32x4.mul(x, sigmoid4(u));
}

/** Below this, the tanh form of GELU that the reference computes differs from x sigmoid(2u) by its cancellation. */
export const GELU_TANH_SCALAR_BELOW: f32 = -3;

/** Below this, sigmoid(x) is subnormal, so x sigmoid(x), a normal number, would keep only its few bits. */
export const SILU_SCALAR_BELOW: f32 = -80;

/** erf(x) x / x for |x| < 1: its Maclaurin series in x^2, as scalar.ts's erf, in float32. */
@inline function erfSeries(x: v128): v128 {
  const z2 = f32x4.mul(x, x);
  let p = mulAdd(splat(-1.2290555301717926e-9), z2, 1.4807192815879218e-8);
  p = mulAdd(p, z2, -1.6365844691234924e-7);
  p = mulAdd(p, z2, 0.0000016462114365889246);
  p = mulAdd(p, z2, -0.00001492565035840625);
  p = mulAdd(p, z2, 0.00012055332981789664);
  p = mulAdd(p, z2, -0.0008548327023450852);
  p = mulAdd(p, z2, 0.005223977625442188);
  p = mulAdd(p, z2, -0.026866170645131252);
  p = mulAdd(p, z2, 0.11283791670955126);
  p = mulAdd(p, z2, -0.37612638903183754);
  return mulAdd(p, z2, 1.1283791670955126);
}

/**
 * erfc(z) for z >= 0 by Numerical Recipes' Chebyshev fit, t exp(-z^2 + c(t)), as scalar.ts's
 * erfcFit. z^2 is split into a part exact in float32 and a small rest, so exp's argument carries
 * no rounding of z^2 (which would cost 2 z^2 ulps).
 */
@inline function erfcFit4(zIn: v128): v128 {
  // erfc(11) is 1e-54: 0 in float32. The bound keeps z^2 finite for infinite z.
  const z = f32x4.min(zIn, splat(11));
  const t = f32x4.div(splat(1), mulAdd(z, splat(0.5), 1));
  let p = mulAdd(splat(0.17087277), t, -0.82215223);
  p = mulAdd(p, t, 1.48851587);
  p = mulAdd(p, t, -1.13520398);
  p = mulAdd(p, t, 0.27886807);
  p = mulAdd(p, t, -0.18628806);
  p = mulAdd(p, t, 0.09678418);
  p = mulAdd(p, t, 0.37409196);
  p = mulAdd(p, t, 1.00002368);
  const c = mulAdd(p, t, -1.26551223);
  // zHigh keeps z's top 12 significand bits, so zHigh^2 is exact; z^2 = zHigh^2 + (z - zHigh)(z + zHigh).
  const zHigh = v128.and(z, i32x4.splat(<i32>0xfffff000));
  const square = f32x4.mul(zHigh, zHigh);
  const rest = f32x4.mul(f32x4.sub(z, zHigh), f32x4.add(z, zHigh));
  return f32x4.mul(t, expSum(f32x4.neg(square), f32x4.sub(c, rest)));
}

/** erf: the series below 1, else 1 - erfc(|x|) with x's sign. */
export function erf4(x: v128): v128 {
  const a = f32x4.abs(x);
  const far = v128.or(f32x4.sub(splat(1), erfcFit4(a)), v128.and(x, i32x4.splat(<i32>0x80000000)));
  return v128.bitselect(f32x4.mul(x, erfSeries(x)), far, f32x4.lt(a, splat(1)));
}

/** erfc: the fit, which keeps its relative accuracy at every z >= 0 (1 - erf would cancel), and 2 - fit below 0. */
export function erfc4(x: v128): v128 {
  const tail = erfcFit4(f32x4.abs(x));
  return v128.bitselect(tail, f32x4.sub(splat(2), tail), f32x4.ge(x, splat(0)));
}

/** Exact GELU, 0.5 x erfc(-x / sqrt 2); below GELU_SCALAR_BELOW the float64 path takes over. */
export function gelu4(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, splat(0.5)), erfc4(f32x4.mul(x, splat(-0.7071067811865476))));
}

/** Below this, rounding -x / sqrt 2 to float32 would move erfc's steep tail by more than a few ulps. */
export const GELU_SCALAR_BELOW: f32 = -2.5;
