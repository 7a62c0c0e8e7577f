const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Maclaurin coefficients of erf(x) / x in powers of x^2: 2/sqrt(pi) * (-1)^n / (n! (2n + 1)). */
const ERF_SERIES = (() => {
  const c = new Float64Array(12);
  let factorial = 1;
  for (let n = 0; n < c.length; n++) {
    if (n > 0) factorial *= n;
    c[n] = ((n % 2 === 0 ? 1 : -1) * TWO_OVER_SQRT_PI) / (factorial * (2 * n + 1));
  }
  return c;
})();

/**
 * The error function, accurate to about 2e-8 relative (below float32 rounding).
 *
 * |x| < 1 sums the Maclaurin series (12 terms leave < 1e-10 truncation error) so tiny arguments
 * keep full relative accuracy. Beyond, erf = 1 - erfc with the Chebyshev fit of erfc from Numerical
 * Recipes (fractional error < 1.2e-7); since erfc(1) < 0.16 this costs erf at most ~2e-8.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  if (z < 1) {
    const z2 = x * x;
    let p = ERF_SERIES[ERF_SERIES.length - 1];
    for (let n = ERF_SERIES.length - 2; n >= 0; n--) p = p * z2 + ERF_SERIES[n];
    return x * p;
  }
  const tail = erfcFit(z);
  return x > 0 ? 1 - tail : tail - 1;
}

/** Numerical Recipes' Chebyshev fit of erfc(z) for z >= 0, fractional error < 1.2e-7 everywhere. */
function erfcFit(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  return (
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
        t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  );
}

/** erfc(x) = 1 - erf(x), keeping relative accuracy in the tail: the fit itself beyond 1, where 1 - erf cancels. */
export function erfc(x: number): number {
  if (Math.abs(x) < 1) return 1 - erf(x);
  return x > 0 ? erfcFit(x) : 2 - erfcFit(-x);
}

/** Logistic sigmoid; exp never overflows because its argument is never positive. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow for large x or cancellation for very negative x. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** Exact GELU, x Φ(x), as 0.5 x erfc(-x / sqrt 2): 1 + erf would cancel to 0 below about -5.9. */
export function gelu(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

/** Tanh-approximated GELU, as torch's approximate='tanh'. */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
}

/** Sign with torch's conventions: sign(±0) = 0 and sign(NaN) = 0. */
export function sign(x: number): number {
  return (x > 0 ? 1 : 0) - (x < 0 ? 1 : 0);
}

/** Round half to even, as torch.round (Math.round rounds halves toward +Infinity). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Integer power wrapping to int32 like C integer arithmetic (squaring with Math.imul). */
export function ipow(base: number, exponent: number): number {
  // Only ±1 survive a negative integer exponent; everything else truncates to 0.
  if (exponent < 0) return base === 1 ? 1 : base === -1 ? (exponent % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let b = base;
  for (let e = exponent; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
  }
  return result;
}
