/**
 * torch.nn.init: fill a tensor in place, without recording autograd, from flint's random stream
 * (the default generator, or `{ generator }`).
 * @example nn.init.kaimingNormal_(conv.weight, { mode: 'fanOut', nonlinearity: 'relu' });
 */
import type { Tensor } from '../tensor/tensor.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { randLike, randnLike, tensor } from '../ops/creation.ts';
import { erf } from '../ops/elementwise.ts';
import { INIT_OPTIONS, type InitOptions } from './init-structured.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkChoice } from '../options/check-choice.ts';

export { dirac_, eye_, orthogonal_, sparse_, type InitOptions } from './init-structured.ts';

const NONLINEARITIES = ['linear', 'conv1d', 'conv2d', 'conv3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'] as const;

/** Nonlinearities {@link calculateGain} knows, in flint's camelCase. */
export type Nonlinearity = (typeof NONLINEARITIES)[number];

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** 'fanIn' keeps the forward pass's variance, 'fanOut' the backward pass's. */
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

const KAIMING_OPTIONS: OptionKeys<KaimingOptions> = { ...INIT_OPTIONS, a: true, mode: true, nonlinearity: true };

/**
 * The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain: 5/3 for tanh,
 * sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leakyRelu (slope `param`, default 0.01).
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  checkChoice('calculateGain', 'nonlinearity', nonlinearity, NONLINEARITIES, `Unsupported nonlinearity ${String(nonlinearity)}`);
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid':
    case 'convTranspose1d': case 'convTranspose2d': case 'convTranspose3d':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new RangeError(`calculateGain(): negative_slope ${slope} not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
  }
}

/** fan_in and fan_out of a weight [out, in, ...kernel], as PyTorch computes them. */
export function calculateFanInAndFanOut(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new RangeError('calculateFanInAndFanOut(): Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

/** Writes `make()` into `t` without recording, freeing the temporaries. */
function fill<T extends Tensor>(t: T, make: () => Tensor): T {
  tidy(() => noGrad(() => t.copy_(make())));
  return t;
}

/** Fills with samples uniform in [a, b). */
export function uniform_<T extends Tensor>(t: T, a = 0, b = 1, options: InitOptions = {}): T {
  checkOptions('uniform_', options, INIT_OPTIONS);
  return fill(t, () => randLike(t, { generator: options.generator }).mul(b - a).add(a));
}

/** Fills with samples from N(mean, std^2). */
export function normal_<T extends Tensor>(t: T, mean = 0, std = 1, options: InitOptions = {}): T {
  checkOptions('normal_', options, INIT_OPTIONS);
  return fill(t, () => randnLike(t, { generator: options.generator }).mul(std).add(mean));
}

/**
 * Fills with samples from N(mean, std^2) truncated to [a, b], as torch.nn.init.trunc_normal_: by
 * the inverse CDF of uniform samples between the bounds' CDF values, then clamped to [a, b].
 */
export function truncNormal_<T extends Tensor>(t: T, mean = 0, std = 1, a = -2, b = 2, options: InitOptions = {}): T {
  checkOptions('truncNormal_', options, INIT_OPTIONS);
  if (!(a < b)) throw new RangeError(`truncNormal_(): a must be less than b, got a=${a}, b=${b}`);
  return fill(t, () => {
    // 2 Phi(x) - 1 = erf(x / sqrt 2): the uniform range in erf's terms, computed on the device.
    const [lo, hi] = [a, b].map((x) => erf(tensor([(x - mean) / (std * Math.SQRT2)], { device: t.device })));
    return randLike(t, { generator: options.generator }).mul(hi!.sub(lo!)).add(lo!).erfinv().mul(std * Math.SQRT2).add(mean).clamp(a, b);
  });
}

/** Fills with `value`. */
export function constant_<T extends Tensor>(t: T, value: number): T {
  noGrad(() => t.fill_(value));
  return t;
}

export const ones_ = <T extends Tensor>(t: T): T => constant_(t, 1);
export const zeros_ = <T extends Tensor>(t: T): T => constant_(t, 0);

/** Glorot uniform: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavierUniform_<T extends Tensor>(t: T, gain = 1, options: InitOptions = {}): T {
  checkOptions('xavierUniform_', options, INIT_OPTIONS);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, options);
}

/** Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavierNormal_<T extends Tensor>(t: T, gain = 1, options: InitOptions = {}): T {
  checkOptions('xavierNormal_', options, INIT_OPTIONS);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** He initialisation's standard deviation, gain / sqrt(fan), once `options` are checked for `op`. */
function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  checkOptions(op, options, KAIMING_OPTIONS);
  const mode = options.mode ?? 'fanIn';
  checkChoice(op, 'mode', mode, ['fanIn', 'fanOut'], `Mode ${String(mode)} not supported`);
  const { fanIn, fanOut } = calculateFanInAndFanOut(t);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(-b, b) with b = gain * sqrt(3 / fan). */
export function kaimingUniform_<T extends Tensor>(t: T, options: KaimingOptions = {}): T {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -bound, bound, { generator: options.generator });
}

/** He normal: N(0, std^2) with std = gain / sqrt(fan). */
export function kaimingNormal_<T extends Tensor>(t: T, options: KaimingOptions = {}): T {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options), { generator: options.generator });
}
