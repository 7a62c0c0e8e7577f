/**
 * Inverse trigonometric and hyperbolic functions, composed from primitives with float32-accurate
 * forms (Cephes' single-precision polynomials, expm1/log1p forms near 0, no overflow in the
 * intermediate steps), each forward beside its gradient.
 */
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { abs, add, div, exp, log, log1p, mul, neg, rsqrt, sqrt, sub, where } from './elementwise.ts';
import { eq, gt, isnan, logicalAnd, logicalOr, lt } from './compare.ts';
import { asFloat, composed, floatOperand } from './composed.ts';
import { backendOf } from './kernel.ts';
import { broadcastOperands, checkTensors } from './broadcast.ts';
import { expm1 } from './special.ts';
import { fullLike } from './creation.ts';

/** Horner's rule for c[0] z^n + c[1] z^(n-1) + ... + c[n]. */
export function polynomial(z: Tensor, coefficients: readonly number[]): Tensor {
  let p = add(mul(z, coefficients[0]!), coefficients[1]!);
  for (const c of coefficients.slice(2)) p = add(mul(p, z), c);
  return p;
}

/** An odd function's value from its magnitude `m` at |x|: negated for x < 0, and x itself at ±0 so the zero keeps its sign. */
export function oddFrom(x: Tensor, m: Tensor): Tensor {
  return where(lt(x, 0), neg(m), where(eq(x, 0), x, m));
}

/** True where x's sign bit is set (-0 included). */
export function signBit(x: TensorLike): Tensor {
  return logicalOr(lt(x, 0), logicalAnd(eq(x, 0), lt(div(1, x), 0)));
}

const PI_2 = Math.PI / 2;

/** Cephes' atanf on |x|: reduced to |t| <= tan(pi/8), then a polynomial. */
function atanOfAbs(a: Tensor): Tensor {
  const big = gt(a, 2.414213562373095);
  const mid = gt(a, 0.4142135623730950);
  const t = where(big, div(-1, a), where(mid, div(sub(a, 1), add(a, 1)), a));
  const offset = where(big, PI_2, where(mid, Math.PI / 4, 0));
  const z = mul(t, t);
  const p = add(mul(mul(polynomial(z, [8.05374449538e-2, -1.38776856032e-1, 1.99777106478e-1, -3.33329491539e-1]), z), t), t);
  return add(p, offset);
}

/** Cephes' asinf on |x| <= 1 (NaN beyond): a polynomial below 0.5, pi/2 - 2 asin(sqrt((1 - |x|) / 2)) above. */
function asinOfAbs(a: Tensor): Tensor {
  const high = gt(a, 0.5);
  const z = where(high, mul(sub(1, a), 0.5), mul(a, a));
  const s = where(high, sqrt(z), a);
  const p = add(mul(mul(polynomial(z, [4.2163199048e-2, 2.4181311049e-2, 4.5470025998e-2, 7.4953002686e-2, 1.6666752422e-1]), z), s), s);
  return where(high, sub(PI_2, add(p, p)), p);
}

/** Arctangent, in (-pi/2, pi/2). */
export function atan(x: Tensor): Tensor {
  checkTensors('atan', [x]);
  return composed('atan', [x], [x], () => {
    const f = asFloat(x);
    return oddFrom(f, atanOfAbs(abs(f)));
  }, (g) => [div(g, add(mul(x, x), 1))]);
}

/** Arcsine, NaN outside [-1, 1]. */
export function asin(x: Tensor): Tensor {
  checkTensors('asin', [x]);
  return composed('asin', [x], [x], () => {
    const f = asFloat(x);
    return oddFrom(f, asinOfAbs(abs(f)));
  }, (g) => [mul(g, rsqrt(sub(1, mul(x, x))))]);
}

/** Arccosine, in [0, pi]; NaN outside [-1, 1]. Each half of the domain avoids pi/2 - asin(x) where it would cancel. */
export function acos(x: Tensor): Tensor {
  checkTensors('acos', [x]);
  return composed('acos', [x], [x], () => {
    const f = asFloat(x);
    const high = mul(asinOfAbs(sqrt(mul(sub(1, abs(f)), 0.5))), 2);
    const middle = sub(PI_2, oddFrom(f, asinOfAbs(abs(f))));
    return where(gt(f, 0.5), high, where(lt(f, -0.5), sub(Math.PI, high), middle));
  }, (g) => [neg(mul(g, rsqrt(sub(1, mul(x, x)))))]);
}

/**
 * The angle of the point (x, y), in [-pi, pi], with C's quadrants and signed zeros: the sign of
 * y sets the result's sign, and x = -0 counts as negative, so atan2(0, -0) = pi.
 * @example flint.atan2(y, x)
 */
export function atan2(y: TensorLike, x: TensorLike): Tensor {
  backendOf('atan2', y, x);
  broadcastOperands('atan2', [y, x]);
  return composed('atan2', [y, x], [y, x].filter((t): t is Tensor => t instanceof Tensor), () => {
    const fy = floatOperand(y);
    const fx = floatOperand(x);
    const ty = fy instanceof Tensor ? fy : fullLike(fx as Tensor, fy as number);
    const tx = fx instanceof Tensor ? fx : fullLike(fy as Tensor, fx as number);
    const ay = abs(ty);
    const ax = abs(tx);
    const bothInfinite = logicalAnd(eq(ay, Infinity), eq(ax, Infinity));
    const bothZero = logicalAnd(eq(ay, 0), eq(ax, 0));
    const first = where(bothInfinite, Math.PI / 4, where(bothZero, 0, atanOfAbs(div(ay, ax))));
    const angle = where(signBit(tx), sub(Math.PI, first), first);
    return where(isnan(angle), angle, where(signBit(ty), neg(angle), angle));
  }, (g) => {
    const square = (t: TensorLike): TensorLike => (t instanceof Tensor ? mul(t, t) : Number(t) ** 2);
    const r2 = add(square(y), square(x));
    return [div(mul(g, x), r2), div(mul(neg(g), y), r2)];
  });
}

/** Beyond this |x|, exp(|x|) overflows float32 while sinh and cosh do not: they are formed as (exp(|x|/2) / 2) exp(|x|/2). */
const HALF_EXP_BOUND = 88;

function halvedExp(a: Tensor): Tensor {
  const h = exp(mul(a, 0.5));
  return mul(mul(h, 0.5), h);
}

/** Hyperbolic sine; (u + u / (u + 1)) / 2 with u = expm1(|x|) keeps small x exact. */
export function sinh(x: Tensor): Tensor {
  checkTensors('sinh', [x]);
  return composed('sinh', [x], [x], () => {
    const f = asFloat(x);
    const a = abs(f);
    const u = expm1(a);
    const m = where(gt(a, HALF_EXP_BOUND), halvedExp(a), mul(add(u, div(u, add(u, 1))), 0.5));
    return oddFrom(f, m);
  }, (g) => [mul(g, cosh(x))]);
}

/** Hyperbolic cosine. */
export function cosh(x: Tensor): Tensor {
  checkTensors('cosh', [x]);
  return composed('cosh', [x], [x], () => {
    const a = abs(asFloat(x));
    const e = exp(a);
    return where(gt(a, HALF_EXP_BOUND), halvedExp(a), add(mul(e, 0.5), div(0.5, e)));
  }, (g) => [mul(g, sinh(x))]);
}

/** Past this |x|, sqrt(x^2 + 1) is |x| to float32 precision and x^2 may overflow: asinh(x) = log(2|x|), acosh(x) = log(2x). */
const LOG_BOUND = 1e8;

/** Inverse hyperbolic sine: log1p(|x| + x^2 / (1 + sqrt(1 + x^2))), exact near 0. */
export function asinh(x: Tensor): Tensor {
  checkTensors('asinh', [x]);
  return composed('asinh', [x], [x], () => {
    const f = asFloat(x);
    const a = abs(f);
    const a2 = mul(a, a);
    const small = log1p(add(a, div(a2, add(sqrt(add(a2, 1)), 1))));
    return oddFrom(f, where(gt(a, LOG_BOUND), add(log(a), Math.LN2), small));
  }, (g) => [mul(g, rsqrt(add(mul(x, x), 1)))]);
}

/** Inverse hyperbolic cosine, NaN below 1: log1p(t + sqrt(2t + t^2)) with t = x - 1, exact near 1. */
export function acosh(x: Tensor): Tensor {
  checkTensors('acosh', [x]);
  return composed('acosh', [x], [x], () => {
    const f = asFloat(x);
    const t = sub(f, 1);
    const small = log1p(add(t, sqrt(add(mul(t, 2), mul(t, t)))));
    return where(lt(f, 1), NaN, where(gt(f, LOG_BOUND), add(log(f), Math.LN2), small));
  }, (g) => [mul(g, rsqrt(sub(mul(x, x), 1)))]);
}

/** Inverse hyperbolic tangent: log1p(2|x| / (1 - |x|)) / 2, exact near 0; ±Inf at ±1, NaN beyond. */
export function atanh(x: Tensor): Tensor {
  checkTensors('atanh', [x]);
  return composed('atanh', [x], [x], () => {
    const f = asFloat(x);
    const a = abs(f);
    return oddFrom(f, mul(log1p(div(mul(a, 2), sub(1, a))), 0.5));
  }, (g) => [div(g, sub(1, mul(x, x)))]);
}
