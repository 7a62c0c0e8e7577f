/**
 * Scalar functions in float64 with PyTorch's semantics at the edges (NaN propagation, signed
 * zeros, pow's special cases), for the host re-implementation. Rounded to float32 only at the end.
 */

/**
 * erf to about 1e-16 relative: below |x| = 3 the series of positive terms
 * `2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1*3*...*(2n+1))` (no cancellation, unlike Taylor's),
 * beyond it the erfc continued fraction.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) >= 3) return Math.sign(x) * (1 - erfcTail(Math.abs(x)));
  let term = x;
  let total = x;
  for (let n = 1; n < 300 && Math.abs(term) > 1e-17 * Math.abs(total); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    total += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * total;
}

/** erfc(x) for x >= 3 (Lentz's continued fraction), accurate in relative terms far into the tail. */
function erfcTail(x: number): number {
  if (x === Infinity) return 0;
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    c = x + a / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** erfc, keeping relative accuracy for large positive arguments. */
export const erfc = (x: number): number => (x >= 3 ? erfcTail(x) : x <= -3 ? 2 - erfcTail(-x) : 1 - erf(x));

/** C's pow (which torch follows): 1 for pow(1, y) and pow(x, 0) even with NaN; pow(-1, ±Inf) is 1. */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

/** Round half to even, as torch.round. */
const roundHalfEven = (x: number): number => {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  const tie = Math.abs(x - Math.trunc(x)) === 0.5;
  return tie && r % 2 !== 0 ? r - 1 : Object.is(r, 0) && x < 0 ? -0 : r;
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The unary ops of the catalogue, by name. */
export const unaryMath: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  // torch: sign(NaN) is 0.
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  square: (x) => x * x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  relu: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  erf,
  gelu: (x) => (x / 2) * erfc(-x / Math.SQRT2),
  geluTanh: (x) => (x / 2) * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
  silu: (x) => x * sigmoid(x),
  // torch's default threshold: above 20 softplus is the identity.
  softplus: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  leakyRelu: (x) => (x > 0 ? x : 0.1 * x),
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
  isfinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

/** A float64 product that overflowed float32 is infinite there (the alphas are powers of two, so it is otherwise exact). */
const float32Overflow = (v: number): number => (Math.abs(v) > 3.4028235677973366e38 ? Math.sign(v) * Infinity : v);
/** Binary float ops; `alpha` scales the second operand in float32, as torch's kernel does. */
export const binaryMath: Record<string, (a: number, b: number, alpha: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  addAlpha: (a, b, alpha) => a + float32Overflow(alpha * b),
};

/** int32 unary ops that torch defines, wrapping around (abs(-2^31) is -2^31). */
export const intUnaryMath: Record<string, (x: number) => number> = {
  neg: (x) => -x | 0,
  abs: (x) => Math.abs(x) | 0,
  sign: (x) => Math.sign(x),
  square: (x) => Math.imul(x, x),
};

/** int32 ops wrap around, as torch's do. */
export const intBinaryMath: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  maximum: Math.max,
  minimum: Math.min,
};

export const compareMath: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};
