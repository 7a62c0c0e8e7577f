/**
 * Exponentials, logarithms and special functions composed from primitives in float32-accurate
 * forms (Kahan's expm1, Cephes' lgamma, the digamma recurrence PyTorch's float kernel uses,
 * Giles' erfinv), each forward beside its gradient.
 */
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { abs, add, cos, div, exp, floor, log, log1p, maximum, mul, neg, pow, round, sigmoid, sin, sqrt, sub, where } from './elementwise.ts';
import { eq, ge, gt, isnan, le, logicalAnd, logicalOr, lt } from './compare.ts';
import { asFloat, composed, floatOperand } from './composed.ts';
import { backendOf } from './kernel.ts';
import { broadcastOperands, checkTensors } from './broadcast.ts';
import { polynomial } from './trig.ts';
import { trunc } from './rounding.ts';
import { NO_ATTRS, traced } from '../trace/state.ts';

/**
 * exp(x) - 1, exact near 0 where exp(x) - 1 cancels: Kahan's (u - 1) x / log(u) with u = exp(x),
 * whose rounding errors in u - 1 and log(u) cancel each other. log(u) is taken as log1p(u - 1)
 * where u - 1 is exact (u in [0.5, 2], where a driver's log near 1 may be coarse), else as log(u).
 */
export function expm1(x: Tensor): Tensor {
  return traced('expm1', [x], NO_ATTRS, () => {
    checkTensors('expm1', [x]);
    return composed('expm1', [x], [x], () => {
      const f = asFloat(x);
      const u = exp(f);
      const v = sub(u, 1);
      const logU = where(lt(abs(v), 0.5), log1p(v), log(u));
      const kahan = mul(v, div(f, logU));
      return where(eq(v, 0), f, where(logicalOr(eq(v, -1), eq(u, Infinity)), v, kahan));
    }, (g) => [mul(g, exp(x))]);
  });
}

/** 2^x. */
export function exp2(x: Tensor): Tensor {
  checkTensors('exp2', [x]);
  return composed('exp2', [x], [x], () => pow(2, asFloat(x)), (g, out) => [mul(g, mul(out, Math.LN2))]);
}

/** Base-2 logarithm. */
export function log2(x: Tensor): Tensor {
  checkTensors('log2', [x]);
  return composed('log2', [x], [x], () => mul(log(asFloat(x)), Math.LOG2E), (g) => [div(g, mul(x, Math.LN2))]);
}

/** Base-10 logarithm. */
export function log10(x: Tensor): Tensor {
  checkTensors('log10', [x]);
  return composed('log10', [x], [x], () => mul(log(asFloat(x)), Math.LOG10E), (g) => [div(g, mul(x, Math.LN10))]);
}

/** x * log(y), taken as 0 where x == 0 (unless y is NaN), as torch.xlogy. */
export function xlogy(x: TensorLike, y: TensorLike): Tensor {
  backendOf('xlogy', x, y);
  broadcastOperands('xlogy', [x, y]);
  return composed('xlogy', [x, y], [x, y].filter((t): t is Tensor => t instanceof Tensor), () => {
    const fx = floatOperand(x);
    const fy = floatOperand(y);
    if (!(fx instanceof Tensor)) {
      const ty = fy as Tensor;
      return fx === 0 ? where(isnan(ty), NaN, 0) : mul(log(ty), fx);
    }
    const ly = fy instanceof Tensor ? log(fy) : Math.log(fy as number);
    const product = mul(fx, ly);
    const zeroWhereXIs0 = where(eq(fx, 0), 0, product);
    if (fy instanceof Tensor) return where(isnan(fy), NaN, zeroWhereXIs0);
    return Number.isNaN(fy) ? mul(zeroWhereXIs0, NaN) : zeroWhereXIs0;
  }, (g, _out, needs) => [
    needs[0] ? where(logicalAnd(eq(x, 0), le(y, 0)), 0, xlogy(g, y)) : null,
    needs[1] ? div(mul(g, x), y) : null,
  ]);
}

/** log(exp(a) + exp(b)) without overflow; equal infinities give themselves. */
export function logaddexp(a: TensorLike, b: TensorLike): Tensor {
  backendOf('logaddexp', a, b);
  broadcastOperands('logaddexp', [a, b]);
  return composed('logaddexp', [a, b], [a, b].filter((t): t is Tensor => t instanceof Tensor), () => {
    const fa = floatOperand(a);
    const fb = floatOperand(b);
    const m = maximum(fa, fb);
    const soft = add(m, log1p(exp(neg(abs(sub(fa, fb))))));
    return where(logicalAnd(eq(fa, fb), eq(abs(m), Infinity)), m, soft);
  }, (g) => [mul(g, sigmoid(sub(a, b))), mul(g, sigmoid(sub(b, a)))]);
}

/** Giles' single-precision erfinv polynomials ("Approximating the erfinv function", 2010), in w = -log(1 - x^2). */
const ERFINV_CENTRAL = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941];
const ERFINV_TAIL = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682];

/** The inverse error function on [-1, 1] (±Inf at ±1, NaN beyond). */
export function erfinv(x: Tensor): Tensor {
  checkTensors('erfinv', [x]);
  return composed('erfinv', [x], [x], () => {
    const f = asFloat(x);
    // (1 - x)(1 + x) rather than 1 - x^2: 1 - x is exact near 1, where the tail lives.
    const w = neg(log(mul(sub(1, f), add(f, 1))));
    const central = polynomial(sub(w, 2.5), ERFINV_CENTRAL);
    const tail = polynomial(sub(sqrt(w), 3), ERFINV_TAIL);
    return where(eq(abs(f), 1), mul(f, Infinity), mul(where(lt(w, 5), central, tail), f));
  }, (g, out) => [mul(g, mul(exp(mul(out, out)), Math.sqrt(Math.PI) / 2))]);
}

/** Cephes lgamf: log gamma(t + 2) = t B(t) for |t| <= 0.5, and log gamma(1 + t) = t C(t) for |t| <= 0.25. */
const LGAMMA_B = [6.055172732649237e-4, -1.311620815545743e-3, 2.863437556468661e-3, -7.366775108654962e-3, 2.058355474821512e-2, -6.735323259371034e-2, 3.224669577325661e-1, 4.227843421859038e-1];
const LGAMMA_C = [1.369488127325832e-1, -1.590086327657347e-1, 1.692415923504637e-1, -2.067882815621965e-1, 2.705806208275915e-1, -4.006931650563372e-1, 8.224670749082976e-1, -5.772156501719101e-1];
const LOG_SQRT_2PI = 0.91893853320467274178;

/**
 * log gamma on x >= 0: Stirling's series from 6.5; below, shifted by k = floor(x - 1.5) steps
 * of the recurrence gamma(x + 1) = x gamma(x) into [1.5, 2.5), and Cephes' polynomial around 1
 * where that shift would cancel near the root lgamma(1) = 0.
 */
function lgammaNonNegative(x: Tensor): Tensor {
  const k = floor(sub(x, 1.5));
  let z: Tensor | number = 1;
  for (let j = 1; j <= 4; j++) z = mul(z, where(ge(k, j), sub(x, j), 1));
  for (let j = 0; j <= 1; j++) z = mul(z, where(lt(k, -j), add(x, j), 1));
  const t = sub(sub(x, k), 2);
  const logZ = log(z as Tensor);
  const shifted = add(mul(t, polynomial(t, LGAMMA_B)), where(ge(k, 0), logZ, neg(logZ)));
  const u = sub(x, 1);
  const nearOne = mul(u, polynomial(u, LGAMMA_C));
  const inverse = div(1, x);
  const p = mul(inverse, inverse);
  const stirling = add(add(sub(LOG_SQRT_2PI, x), mul(sub(x, 0.5), log(x))), mul(polynomial(p, [6.789774945028216e-4, -2.769887652139868e-3, 8.333316229807355e-2]), inverse));
  const small = where(logicalAnd(ge(x, 0.75), lt(x, 1.25)), nearOne, shifted);
  return where(eq(x, Infinity), Infinity, where(ge(x, 6.5), stirling, small));
}

/** log |gamma(x)|; +Inf at 0 and the negative integers, by reflection below 0. */
export function lgamma(x: Tensor): Tensor {
  checkTensors('lgamma', [x]);
  return composed('lgamma', [x], [x], () => {
    const f = asFloat(x);
    const q = abs(f);
    const w = lgammaNonNegative(q);
    const p = floor(q);
    const fraction = sub(q, p);
    const distance = where(gt(fraction, 0.5), sub(add(p, 1), q), fraction);
    // log(pi / |x sin(pi x)|) - lgamma(|x|), with sin taken at the distance to the nearest integer.
    const reflected = sub(log(div(Math.PI, mul(q, sin(mul(distance, Math.PI))))), w);
    return where(logicalAnd(le(f, 0), eq(p, q)), Infinity, where(lt(f, 0), reflected, w));
  }, (g) => [mul(g, digamma(x))]);
}

/** The asymptotic series of digamma past 10, in z = 1 / x^2 (PyTorch's float kernel). */
const DIGAMMA_ASYMPTOTIC = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];

/** digamma on x > 0: the recurrence psi(x) = psi(x + 1) - 1 / x up to 10, then the series. */
function digammaPositive(x: Tensor): Tensor {
  let shifted = x;
  let total: Tensor | number = 0;
  // Ten steps take every x > 0 to at least 10.
  for (let i = 0; i < 10; i++) {
    const below = lt(shifted, 10);
    total = where(below, sub(total, div(1, shifted)), total);
    shifted = where(below, add(shifted, 1), shifted);
  }
  const z = div(1, mul(shifted, shifted));
  const series = mul(z, polynomial(z, DIGAMMA_ASYMPTOTIC));
  return sub(sub(add(total, log(shifted)), div(0.5, shifted)), series);
}

/** The logarithmic derivative of gamma; NaN at negative integers, -Inf at +0 and +Inf at -0. */
export function digamma(x: Tensor): Tensor {
  checkTensors('digamma', [x]);
  return composed('digamma', [x], [x], () => {
    const f = asFloat(x);
    const fraction = sub(f, trunc(f));
    // pi / tan(pi x) at the distance to the nearest integer, where pi * r keeps its relative precision.
    const r = sub(fraction, round(fraction));
    const angle = mul(r, Math.PI);
    const reflection = div(Math.PI, div(sin(angle), cos(angle)));
    const negative = sub(digammaPositive(sub(1, f)), reflection);
    const value = where(lt(f, 0), where(eq(fraction, 0), NaN, negative), digammaPositive(f));
    return where(eq(f, 0), where(lt(div(1, f), 0), Infinity, -Infinity), value);
  }, (g) => [mul(g, polygamma1(x))]);
}

/** The trigamma function psi'(x) for digamma's gradient: the recurrence to 10, then its asymptotic series; reflected below 0. */
function polygamma1(x: Tensor): Tensor {
  const positive = (y: Tensor): Tensor => {
    let shifted = y;
    let total: Tensor | number = 0;
    for (let i = 0; i < 10; i++) {
      const below = lt(shifted, 10);
      total = where(below, add(total, div(1, mul(shifted, shifted))), total);
      shifted = where(below, add(shifted, 1), shifted);
    }
    const inverse = div(1, shifted);
    const z = mul(inverse, inverse);
    // 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9)
    const series = mul(inverse, add(add(1, mul(inverse, 0.5)), mul(z, polynomial(z, [-1 / 30, 1 / 42, -1 / 30, 1 / 6]))));
    return add(total, series);
  };
  // psi'(1 - x) + psi'(x) = pi^2 / sin^2(pi x)
  const s = sin(mul(sub(x, round(x)), Math.PI));
  const reflected = sub(div(Math.PI * Math.PI, mul(s, s)), positive(sub(1, x)));
  return where(lt(x, 0), reflected, positive(x));
}
