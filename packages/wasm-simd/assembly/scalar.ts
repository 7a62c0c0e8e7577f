// Scalar math shared by the kernels, matching the reference backend's float64 formulas so that
// results agree after rounding to float32.

const SQRT_2_OVER_PI: f64 = 0.7978845608028654;
const SQRT1_2: f64 = 0.7071067811865476;
const TWO_32: f64 = 4294967296.0;

/** JavaScript's ToInt32: truncate, wrap modulo 2^32; NaN and infinities become 0. */
export function toInt32(x: f64): i32 {
  if (!isFinite(x)) return 0;
  const t = trunc(x);
  return <i32>(<u32>(t - floor(t / TWO_32) * TWO_32));
}

/** A float64 value stored as element type T with the reference backend's typed-array rules. */
@inline export function fromF64<T>(x: f64): T {
  if (isFloat<T>()) return <T>x;
  if (sizeof<T>() == 1) return <T>(x != 0 ? 1 : 0);
  return <T>toInt32(x);
}

/**
 * erf to about 2e-8 relative: the Maclaurin series below 1 (exact for tiny arguments), above it
 * 1 - erfc with the Numerical Recipes Chebyshev fit of erfc.
 */
export function erf(x: f64): f64 {
  const z = abs(x);
  if (z < 1) {
    const z2 = x * x;
    // Coefficients 2/sqrt(pi) * (-1)^n / (n! (2n + 1)), n = 0..11, by Horner's rule.
    let p: f64 = -1.2290555301717926e-9;
    p = p * z2 + 1.4807192815879218e-8;
    p = p * z2 + -1.6365844691234924e-7;
    p = p * z2 + 0.0000016462114365889246;
    p = p * z2 + -0.00001492565035840625;
    p = p * z2 + 0.00012055332981789664;
    p = p * z2 + -0.0008548327023450852;
    p = p * z2 + 0.005223977625442188;
    p = p * z2 + -0.026866170645131252;
    p = p * z2 + 0.11283791670955126;
    p = p * z2 + -0.37612638903183754;
    p = p * z2 + 1.1283791670955126;
    return x * p;
  }
  const tail = erfcFit(z);
  return x > 0 ? 1 - tail : tail - 1;
}

/** Numerical Recipes' Chebyshev fit of erfc(z) for z >= 0, fractional error < 1.2e-7 everywhere. */
function erfcFit(z: f64): f64 {
  const t = 1 / (1 + 0.5 * z);
  return t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
}

/** erfc(x) = 1 - erf(x), keeping relative accuracy in the tail: the fit itself beyond 1, where 1 - erf cancels. */
export function erfc(x: f64): f64 {
  if (abs(x) < 1) return 1 - erf(x);
  return x > 0 ? erfcFit(x) : 2 - erfcFit(-x);
}

/** Logistic sigmoid; exp's argument is never positive, so it never overflows. */
export function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow or cancellation. */
export function softplus(x: f64): f64 {
  return max(x, 0) + Math.log1p(Math.exp(-abs(x)));
}

/** Exact GELU, x Φ(x), as 0.5 x erfc(-x / sqrt 2): 1 + erf would cancel to 0 below about -5.9. */
export function gelu(x: f64): f64 {
  return 0.5 * x * erfc(-x * SQRT1_2);
}

/** Tanh-approximated GELU. */
export function geluTanh(x: f64): f64 {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** Integer power wrapping like C int32 arithmetic; negative exponents leave only ±1. */
export function ipow(base: i32, exponent: i32): i32 {
  if (exponent < 0) return base == 1 ? 1 : base == -1 ? ((exponent & 1) == 0 ? 1 : -1) : 0;
  let result: i32 = 1;
  let b = base;
  for (let e = <u32>exponent; e > 0; e >>= 1) {
    if (e & 1) result *= b;
    b *= b;
  }
  return result;
}

/** int32 division as the reference computes it: float quotient, then ToInt32. */
@inline export function idiv(a: i32, b: i32): i32 {
  if (b == 0) return 0;
  if (b == -1) return -a;
  return a / b;
}
