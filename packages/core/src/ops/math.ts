/** Elementwise helpers of torch's math section: squares, hypot, interpolation, fused multiply-adds, infinities and closeness. */
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { abs, add, clamp, div, maximum, minimum, mul, sign, sqrt, sub, where } from './elementwise.ts';
import { eq, ge, isfinite, isnan, le, logicalAnd, logicalOr, lt } from './compare.ts';
import { all } from './reduce.ts';
import { asFloat, composed } from './composed.ts';
import { backendOf } from './kernel.ts';
import { broadcastOperands, checkOperands, checkTensors } from './broadcast.ts';
import { tidy } from '../memory/scope.ts';
import { shapeEquals } from '../tensor/shape.ts';
import { clone } from './view.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** x * x; int32 stays int32. */
export function square(x: Tensor): Tensor {
  checkTensors('square', [x]);
  return mul(x, x);
}

/** The sign of x (torch.sgn; for real tensors the same as sign). */
export function sgn(x: Tensor): Tensor {
  checkTensors('sgn', [x]);
  return sign(x);
}

/** sqrt(a^2 + b^2) without overflow or underflow in the squares: max(|a|, |b|) sqrt(1 + (min / max)^2); Inf if either is infinite. */
export function hypot(a: Tensor, b: Tensor): Tensor {
  backendOf('hypot', a, b);
  broadcastOperands('hypot', [a, b]);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new TypeError(`hypot(): expected both inputs to be float32, got ${a.dtype} and ${b.dtype}`);
  return composed('hypot', [a, b], [a, b], () => {
    const aa = abs(a);
    const ab = abs(b);
    const big = maximum(aa, ab);
    const small = minimum(aa, ab);
    const ratio = div(small, big);
    const scaled = mul(big, sqrt(add(mul(ratio, ratio), 1)));
    return where(logicalOr(eq(aa, Infinity), eq(ab, Infinity)), Infinity, where(eq(big, 0), 0, scaled));
  }, (g, out) => [div(mul(g, a), out), div(mul(g, b), out)]);
}

const describe = (x: TensorLike): string => (x instanceof Tensor ? x.dtype : typeof x);

/**
 * start + weight (end - start), formed from the nearer end (end - (end - start)(1 - weight) for
 * weight >= 0.5) so that weight 1 gives end exactly, as torch.lerp.
 */
export function lerp(start: Tensor, end: Tensor, weight: TensorLike): Tensor {
  backendOf('lerp', start, end, weight);
  broadcastOperands('lerp', [start, end, weight]);
  if (start.dtype !== 'float32' || end.dtype !== 'float32' || (weight instanceof Tensor && weight.dtype !== 'float32')) {
    throw new TypeError(`lerp(): expected float32 tensors, got start ${start.dtype}, end ${end.dtype} and weight ${describe(weight)}`);
  }
  return composed('lerp', [start, end, weight], [end, start, ...(weight instanceof Tensor ? [weight] : [])], () => {
    const span = sub(end, start);
    const fromStart = add(start, mul(weight, span));
    const fromEnd = sub(end, mul(span, weight instanceof Tensor ? sub(1, weight) : 1 - Number(weight)));
    if (!(weight instanceof Tensor)) return Math.abs(Number(weight)) < 0.5 ? fromStart : fromEnd;
    return where(lt(abs(weight), 0.5), fromStart, fromEnd);
  }, (g) => [mul(g, weight instanceof Tensor ? sub(1, weight) : 1 - Number(weight)), mul(g, weight), weight instanceof Tensor ? mul(g, sub(end, start)) : null]);
}

/** addcmul's and addcdiv's options. */
export interface ValueOptions {
  /** The factor of the product or quotient (default 1). */
  value?: number;
}

const VALUE_OPTIONS: OptionKeys<ValueOptions> = { value: true };

/** input + value * tensor1 * tensor2, broadcasting all three. */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, options: ValueOptions = {}): Tensor {
  checkTensors('addcmul', [input, tensor1, tensor2]);
  checkOptions('addcmul', options, VALUE_OPTIONS);
  broadcastOperands('addcmul', [input, tensor1, tensor2]);
  const value = options.value ?? 1;
  return tidy(() => add(input, mul(mul(tensor1, tensor2), value)));
}

/** input + value * tensor1 / tensor2, broadcasting all three; integer division is refused, as in PyTorch. */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, options: ValueOptions = {}): Tensor {
  checkTensors('addcdiv', [input, tensor1, tensor2]);
  checkOptions('addcdiv', options, VALUE_OPTIONS);
  broadcastOperands('addcdiv', [input, tensor1, tensor2]);
  if (tensor1.dtype !== 'float32' && tensor2.dtype !== 'float32') {
    throw new TypeError('addcdiv(): Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. Use flint.addcmul(input, tensor1, 1 / tensor2) or flint.add(input, flint.floorDivide(tensor1, tensor2)).');
  }
  const value = options.value ?? 1;
  return tidy(() => add(input, mul(div(tensor1, tensor2), value)));
}

/** The largest finite float32, torch.finfo(torch.float32).max: nanToNum's default for +Inf. */
const FLOAT32_MAX = 3.4028234663852886e38;

export interface NanToNumOptions {
  /** Replaces NaN (default 0). */
  nan?: number;
  /** Replaces +Inf (default the largest finite float32). */
  posinf?: number;
  /** Replaces -Inf (default the most negative finite float32). */
  neginf?: number;
}

const NAN_TO_NUM_OPTIONS: OptionKeys<NanToNumOptions> = { nan: true, posinf: true, neginf: true };

/** NaN and infinities replaced by finite numbers; the gradient flows only through finite elements. int32 and bool come back as copies. */
export function nanToNum(x: Tensor, options: NanToNumOptions = {}): Tensor {
  checkTensors('nanToNum', [x]);
  checkOptions('nanToNum', options, NAN_TO_NUM_OPTIONS);
  const nan = options.nan ?? 0;
  const posinf = options.posinf ?? FLOAT32_MAX;
  const neginf = options.neginf ?? -FLOAT32_MAX;
  if (x.dtype !== 'float32') return clone(x);
  return composed('nanToNum', [x], [x], () => where(isnan(x), nan, where(eq(x, Infinity), posinf, where(eq(x, -Infinity), neginf, x))),
    (g) => [where(isfinite(x), g, 0)]);
}

/**
 * max(x, bound) (clampMin) or min(x, bound) (clampMax). A tensor bound gets the gradient where it
 * wins strictly and x keeps it at ties, as torch.clamp_min / clamp_max.
 */
function clampOneSide(name: string, x: Tensor, bound: TensorLike, lower: boolean): Tensor {
  checkTensors(name, [x]);
  if (!(bound instanceof Tensor)) return lower ? clamp(x, bound, null) : clamp(x, null, bound);
  backendOf(name, x, bound);
  broadcastOperands(name, [x, bound]);
  return composed(name, [x, bound], [x, bound], () => (lower ? clamp(x, bound, null) : clamp(x, null, bound)), (g) => {
    const xWins = lower ? ge(x, bound) : le(x, bound);
    return [where(xWins, g, 0), where(xWins, 0, g)];
  });
}

/** clamp(x, min), as torch.clamp_min. */
export const clampMin = (x: Tensor, min: TensorLike): Tensor => clampOneSide('clampMin', x, min, true);
/** clamp(x, undefined, max), as torch.clamp_max. */
export const clampMax = (x: Tensor, max: TensorLike): Tensor => clampOneSide('clampMax', x, max, false);

/** True at ±Inf. */
export const isinf = (x: Tensor): Tensor => (checkTensors('isinf', [x]), eq(abs(x), Infinity));
/** True at +Inf. */
export const isposinf = (x: Tensor): Tensor => (checkTensors('isposinf', [x]), eq(x, Infinity));
/** True at -Inf. */
export const isneginf = (x: Tensor): Tensor => (checkTensors('isneginf', [x]), eq(x, -Infinity));

export interface IsCloseOptions {
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8). */
  atol?: number;
  /** Count NaN as equal to NaN (default false). */
  equalNan?: boolean;
}

const IS_CLOSE_OPTIONS: OptionKeys<IsCloseOptions> = { rtol: true, atol: true, equalNan: true };

/**
 * True where |a - b| <= atol + rtol |b| (finitely), or a == b (equal infinities), or both are NaN
 * when `equalNan`; as torch.isclose, both operands must share a dtype.
 */
export function isclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): Tensor {
  checkOptions('isclose', options, IS_CLOSE_OPTIONS);
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  backendOf('isclose', a, b);
  broadcastOperands('isclose', [a, b]);
  if (a.dtype !== b.dtype) throw new TypeError(`isclose(): ${a.dtype} did not match ${b.dtype}`);
  if (!(rtol >= 0)) throw new RangeError(`isclose(): rtol must be greater than or equal to zero, but got ${rtol}`);
  if (!(atol >= 0)) throw new RangeError(`isclose(): atol must be greater than or equal to zero, but got ${atol}`);
  return tidy(() => {
    const same = eq(a, b);
    const close = options.equalNan ? logicalOr(same, logicalAnd(isnan(a), isnan(b))) : same;
    if (rtol === 0 && atol === 0) return close;
    const fa = asFloat(a);
    const fb = asFloat(b);
    const error = abs(sub(fa, fb));
    return logicalOr(close, logicalAnd(isfinite(error), le(error, add(mul(abs(fb), rtol), atol))));
  });
}

/** Whether every element of a is close to b ({@link isclose}); reading the answer is async, as every read in flint. */
export async function allclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): Promise<boolean> {
  checkOperands('allclose', [a, b]);
  checkOptions('allclose', options, IS_CLOSE_OPTIONS);
  const verdict = tidy(() => all(isclose(a, b, options)));
  try {
    return Boolean(await verdict.item());
  } finally {
    verdict.dispose();
  }
}

/** Whether a and b have the same shape and equal elements (NaN is unequal to everything); async like every read. */
export async function equal(a: Tensor, b: Tensor): Promise<boolean> {
  backendOf('equal', a, b);
  if (!shapeEquals(a.shape, b.shape)) return false;
  const verdict = tidy(() => all(eq(a, b)));
  try {
    return Boolean(await verdict.item());
  } finally {
    verdict.dispose();
  }
}

