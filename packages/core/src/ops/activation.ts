/**
 * torch.nn.functional's activations beyond the elementwise primitives, composed in core, each
 * forward beside its gradient (stated where PyTorch's differs from the composition's at a kink).
 */
import type { Tensor } from '../tensor/tensor.ts';
import type { Generator } from '../random/generator.ts';
import { abs, add, clamp, div, exp, log, log1p, minimum, mul, neg, sigmoid, softplus, sub, tanh, where } from './elementwise.ts';
import { gt, le, logicalAnd, lt } from './compare.ts';
import { argmax } from './reduce.ts';
import { softmax } from './softmax.ts';
import { chunk } from './join.ts';
import { detach, reshape } from './view.ts';
import { scatterAdd } from './indexing.ts';
import { randLike, zerosLike, onesLike } from './creation.ts';
import { composed } from './composed.ts';
import { expm1 } from './special.ts';
import { normalizeDim } from '../tensor/shape.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

function assertFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32') throw new TypeError(`${op}(): expected a float32 tensor, got ${x.dtype}`);
}

/** scale x for x > 0, else scale alpha (exp(x inputScale) - 1): the shared form of elu, selu and celu. */
function eluFamily(name: string, x: Tensor, alpha: number, scale: number, inputScale: number): Tensor {
  checkTensors(name, [x]);
  assertFloat(name, x);
  return composed(name, [x], [x], () => where(gt(x, 0), mul(x, scale), mul(expm1(mul(x, inputScale)), scale * alpha)),
    (g) => [where(le(x, 0), mul(g, mul(exp(mul(x, inputScale)), scale * alpha * inputScale)), mul(g, scale))]);
}

/** x for x > 0, else alpha (exp(x) - 1). */
export const elu = (x: Tensor, alpha = 1): Tensor => eluFamily('elu', x, alpha, 1, 1);

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
/** scale * elu(x, alpha) with the self-normalising constants of Klambauer et al. */
export const selu = (x: Tensor): Tensor => eluFamily('selu', x, SELU_ALPHA, SELU_SCALE, 1);

/** max(0, x) + min(0, alpha (exp(x / alpha) - 1)). */
export function celu(x: Tensor, alpha = 1): Tensor {
  checkTensors('celu', [x]);
  if (alpha === 0) throw new RangeError('celu(): ZeroDivisionError: alpha cannot be 0 for CELU');
  return eluFamily('celu', x, alpha, 1, 1 / alpha);
}

/** x tanh(softplus(x)). */
export function mish(x: Tensor): Tensor {
  checkTensors('mish', [x]);
  assertFloat('mish', x);
  return tidy(() => mul(x, tanh(softplus(x))));
}

/** Clamps into [minVal, maxVal]; the gradient is 0 at and beyond the bounds, as in PyTorch. */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  checkTensors('hardtanh', [x]);
  assertFloat('hardtanh', x);
  if (minVal > maxVal) throw new RangeError(`hardtanh(): min_val cannot be greater than max_val`);
  return composed('hardtanh', [x], [x], () => clamp(x, minVal, maxVal), (g) => [where(logicalAnd(gt(x, minVal), lt(x, maxVal)), g, 0)]);
}

/** min(max(0, x), 6). */
export const relu6 = (x: Tensor): Tensor => (checkTensors('relu6', [x]), hardtanh(x, 0, 6));

/** x relu6(x + 3) / 6. */
export function hardswish(x: Tensor): Tensor {
  checkTensors('hardswish', [x]);
  assertFloat('hardswish', x);
  return composed('hardswish', [x], [x], () => div(mul(x, clamp(add(x, 3), 0, 6)), 6),
    (g) => [where(lt(x, -3), 0, where(le(x, 3), mul(g, add(div(x, 3), 0.5)), g))]);
}

/** relu6(x + 3) / 6. */
export function hardsigmoid(x: Tensor): Tensor {
  checkTensors('hardsigmoid', [x]);
  assertFloat('hardsigmoid', x);
  return composed('hardsigmoid', [x], [x], () => div(clamp(add(x, 3), 0, 6), 6), (g) => [where(logicalAnd(gt(x, -3), lt(x, 3)), div(g, 6), 0)]);
}

/** log(sigmoid(x)), as min(x, 0) - log1p(exp(-|x|)) so it neither overflows nor rounds to log(0). */
export function logsigmoid(x: Tensor): Tensor {
  checkTensors('logsigmoid', [x]);
  assertFloat('logsigmoid', x);
  return composed('logsigmoid', [x], [x], () => sub(minimum(x, 0), log1p(exp(neg(abs(x))))), (g) => [mul(g, sigmoid(neg(x)))]);
}

/** x / (1 + |x|). */
export function softsign(x: Tensor): Tensor {
  checkTensors('softsign', [x]);
  assertFloat('softsign', x);
  return tidy(() => div(x, add(abs(x), 1)));
}

/** x - tanh(x). */
export function tanhshrink(x: Tensor): Tensor {
  checkTensors('tanhshrink', [x]);
  assertFloat('tanhshrink', x);
  return tidy(() => sub(x, tanh(x)));
}

export function assertLambda(op: string, lambd: number): void {
  if (!(lambd >= 0)) throw new RangeError(`${op}(): lambda must be greater or equal to 0, but found to be ${lambd}.`);
}

/** x - lambd above lambd, x + lambd below -lambd, 0 between. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensors('softshrink', [x]);
  assertFloat('softshrink', x);
  assertLambda('softshrink', lambd);
  return tidy(() => where(gt(x, lambd), sub(x, lambd), where(lt(x, -lambd), add(x, lambd), 0)));
}

/** x where |x| > lambd, else 0. */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  checkTensors('hardshrink', [x]);
  assertFloat('hardshrink', x);
  // Written so that NaN (which compares false) passes through, as in PyTorch.
  return tidy(() => where(le(abs(x), lambd), 0, x));
}

/** x where x > threshold, else value (NaN passes through). */
export function threshold(x: Tensor, thresholdValue: number, value: number): Tensor {
  checkTensors('threshold', [x]);
  return tidy(() => where(le(x, thresholdValue), value, x));
}

/**
 * x for x > 0, else weight x, with one weight shared or one per channel (dim 1), as
 * torch.nn.functional.prelu; the weight's gradient sums over everything else.
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  checkTensors('prelu', [x, weight]);
  assertFloat('prelu', x);
  const channels = x.ndim >= 2 ? x.shape[1]! : 1;
  if (weight.size !== 1 && weight.size !== channels) {
    throw new RangeError(`prelu(): Mismatch of parameter numbers and input channel size. Found parameter numbers = ${weight.size} and channel size = ${channels}.`);
  }
  return tidy(() => {
    const w = weight.size === 1 ? reshape(weight, []) : reshape(weight, [channels, ...x.shape.slice(2).map(() => 1)]);
    return where(gt(x, 0), x, mul(w, x));
  });
}

export interface RreluOptions {
  /** Lower bound of the random slope (default 1/8). */
  lower?: number;
  /** Upper bound of the random slope (default 1/3). */
  upper?: number;
  /** Draws a slope per element when true; else uses the mean slope (lower + upper) / 2 (default false, as in PyTorch). */
  training?: boolean;
  generator?: Generator;
}

const RRELU_OPTIONS: OptionKeys<RreluOptions> = { lower: true, upper: true, training: true, generator: true };

/**
 * Randomised leaky ReLU: negative x is scaled by a slope drawn uniformly from [lower, upper] per
 * element in training (from the flint generator, so a seed gives the same slopes on every backend),
 * and by (lower + upper) / 2 otherwise.
 */
export function rrelu(x: Tensor, options: RreluOptions = {}): Tensor {
  checkTensors('rrelu', [x]);
  checkOptions('rrelu', options, RRELU_OPTIONS);
  assertFloat('rrelu', x);
  const lower = options.lower ?? 1 / 8;
  const upper = options.upper ?? 1 / 3;
  if (!(lower <= upper)) throw new RangeError(`rrelu(): Lower bound should be less than or equal to the upper bound, got lower=${lower}, upper=${upper}`);
  return tidy(() => {
    const slope = options.training
      ? noGrad(() => add(mul(randLike(x, { generator: options.generator }), upper - lower), lower))
      : (lower + upper) / 2;
    // x <= 0 takes the slope, so the gradient at 0 is the slope, as in PyTorch.
    return where(le(x, 0), mul(x, slope), x);
  });
}

/** a sigmoid(b), for a and b the halves of x along `dim`. */
export function glu(x: Tensor, dim = -1): Tensor {
  checkTensors('glu', [x]);
  assertFloat('glu', x);
  if (x.ndim === 0) throw new RangeError('glu(): glu does not support scalars because halving size must be even');
  const d = normalizeDim('glu', dim, x.ndim);
  if (x.shape[d]! % 2 !== 0) throw new RangeError(`glu(): Halving dimension must be even, but dimension ${d} is size ${x.shape[d]}`);
  return tidy(() => {
    const [a, b] = chunk(x, 2, d);
    return mul(a!, sigmoid(b!));
  });
}

/** softmax(-x) along `dim`. */
export function softmin(x: Tensor, dim: number): Tensor {
  checkTensors('softmin', [x]);
  return tidy(() => softmax(neg(x), dim));
}

export interface GumbelSoftmaxOptions {
  /** Temperature (default 1). */
  tau?: number;
  /** Returns one-hot samples whose gradient is the soft sample's (straight-through), default false. */
  hard?: boolean;
  /** The dim the softmax runs over (default -1). */
  dim?: number;
  generator?: Generator;
}

const GUMBEL_SOFTMAX_OPTIONS: OptionKeys<GumbelSoftmaxOptions> = { tau: true, hard: true, dim: true, generator: true };

/**
 * A sample from the Gumbel-softmax distribution over `dim`: softmax((logits + g) / tau) with g
 * standard Gumbel noise -log(-log(u)) from the flint generator; `hard` returns the one-hot argmax
 * with the soft sample's gradient, as torch.nn.functional.gumbel_softmax.
 */
export function gumbelSoftmax(logits: Tensor, options: GumbelSoftmaxOptions = {}): Tensor {
  checkTensors('gumbelSoftmax', [logits]);
  checkOptions('gumbelSoftmax', options, GUMBEL_SOFTMAX_OPTIONS);
  assertFloat('gumbelSoftmax', logits);
  const tau = options.tau ?? 1;
  const d = normalizeDim('gumbelSoftmax', options.dim ?? -1, logits.ndim);
  return tidy(() => {
    // u in [0, 1) is moved to (0, 1] so that -log(u) is finite and positive.
    const gumbels = noGrad(() => neg(log(neg(log(sub(1, randLike(logits, { generator: options.generator })))))));
    const soft = softmax(div(add(logits, gumbels), tau), d);
    if (!options.hard) return soft;
    const index = noGrad(() => argmax(soft, d, true));
    const oneHot = noGrad(() => scatterAdd(zerosLike(soft), d, index, onesLike(index, { dtype: 'float32' })));
    return add(sub(oneHot, detach(soft)), soft);
  });
}
