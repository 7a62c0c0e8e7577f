/** Batch, layer, group, instance, RMS and local response normalisation, composed from primitives so every order of gradient works. */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { add, div, mul, pow, rsqrt, sub } from '../../ops/elementwise.ts';
import { mean } from '../../ops/reduce.ts';
import { narrow, reshape } from '../../ops/view.ts';
import { cat } from '../../ops/join.ts';
import { zeros } from '../../ops/creation.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';
import { traced } from '../../trace/state.ts';

/** Settings shared by the normalisations: the affine weight and bias, and eps added to the variance. */
export interface NormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance before the square root (1e-5 by default). */
  eps?: number;
}

const NORM_OPTIONS: OptionKeys<NormOptions> = { weight: true, bias: true, eps: true };

export interface BatchNormOptions extends NormOptions {
  /** Normalise by the batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /**
   * Weight of the batch statistics in the running update: running = (1 - momentum) * running +
   * momentum * batch (0.1 by default). A tensor keeps a computed factor (BatchNorm's cumulative
   * average) on the device.
   */
  momentum?: number | Tensor;
}

const BATCH_NORM_OPTIONS: OptionKeys<BatchNormOptions> = { ...NORM_OPTIONS, training: true, momentum: true };

/** x centred over `dims` and its biased variance there, both keeping `dims`. */
function moments(x: Tensor, dims: readonly number[]): { centered: Tensor; mean: Tensor; variance: Tensor } {
  const m = mean(x, dims, true);
  const centered = sub(x, m);
  return { centered, mean: m, variance: mean(mul(centered, centered), dims, true) };
}

/** `y * weight + bias`, with weight and bias viewed as `shape`. */
function affine(y: Tensor, options: NormOptions, shape: readonly number[]): Tensor {
  const scaled = options.weight ? mul(y, reshape(options.weight, shape)) : y;
  return options.bias ? add(scaled, reshape(options.bias, shape)) : scaled;
}

/** The shape a per-channel [C] tensor takes to broadcast over x [N, C, ...]. */
function channelShape(x: Tensor): number[] {
  return x.shape.map((d, i) => (i === 1 ? d : 1));
}

/**
 * Batch normalisation over the channel dim 1 of x [N, C, ...], as torch.nn.functional.batch_norm.
 * In training the batch statistics normalise and, when given, `runningMean` / `runningVar` are
 * updated in place (the variance unbiased); otherwise the running statistics normalise.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  return traced('batchNorm', [x, runningMean, runningVar, options?.weight, options?.bias], options, () => {
    checkTensors('batchNorm', [x]);
    checkOptions('batchNorm', options, BATCH_NORM_OPTIONS);
    if (x.ndim < 2) throw new RangeError(`batchNorm(): expected an input with at least 2 dims [N, C, ...], got ${formatShape(x.shape)}`);
    const eps = options.eps ?? 1e-5;
    const shape = channelShape(x);
    if (!options.training) {
      if (!runningMean || !runningVar) throw new Error('batchNorm(): running_mean and running_var must be defined in evaluation mode');
      return tidy(() => affine(mul(sub(x, reshape(runningMean, shape)), rsqrt(add(reshape(runningVar, shape), eps))), options, shape));
    }
    const count = x.size / x.shape[1]!;
    if (count <= 1) throw new RangeError(`batchNorm(): Expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`);
    return tidy(() => {
      const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
      const { centered, mean: batchMean, variance } = moments(x, dims);
      noGrad(() => {
        const momentum = options.momentum ?? 0.1;
        const decay = typeof momentum === 'number' ? 1 - momentum : sub(1, momentum);
        runningMean?.mul_(decay).add_(mul(reshape(batchMean, [-1]), momentum));
        // The running variance is the unbiased estimate: the biased one times n / (n - 1).
        runningVar?.mul_(decay).add_(mul(mul(reshape(variance, [-1]), count / (count - 1)), momentum));
      });
      return affine(mul(centered, rsqrt(add(variance, eps))), options, shape);
    });
  });
}

/**
 * Normalises over the trailing dims `normalizedShape`, as torch.nn.functional.layer_norm; weight and
 * bias have that shape.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: NormOptions = {}): Tensor {
  return traced('layerNorm', [x, options?.weight, options?.bias], { normalizedShape, options }, () => {
    checkTensors('layerNorm', [x]);
    checkOptions('layerNorm', options, NORM_OPTIONS);
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    const lead = x.ndim - shape.length;
    if (shape.length === 0 || lead < 0 || !shapeEquals(x.shape.slice(lead), shape)) {
      throw new RangeError(`layerNorm(): Given normalized_shape=${formatShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${formatShape(x.shape)}`);
    }
    return tidy(() => {
      const dims = shape.map((_, i) => lead + i);
      const { centered, variance } = moments(x, dims);
      return affine(mul(centered, rsqrt(add(variance, options.eps ?? 1e-5))), options, shape);
    });
  });
}

/**
 * Normalises each of `numGroups` channel groups of x [N, C, ...] over its channels and positions,
 * as torch.nn.functional.group_norm; weight and bias are per channel [C].
 */
export function groupNorm(x: Tensor, numGroups: number, options: NormOptions = {}): Tensor {
  checkTensors('groupNorm', [x]);
  checkOptions('groupNorm', options, NORM_OPTIONS);
  const channels = x.shape[1];
  if (x.ndim < 2 || !Number.isInteger(numGroups) || numGroups < 1 || channels! % numGroups !== 0) {
    throw new RangeError(`groupNorm(): Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(x.shape)} and num_groups=${numGroups}`);
  }
  return tidy(() => {
    const grouped = reshape(x, [x.shape[0]!, numGroups, -1]);
    const { centered, variance } = moments(grouped, [2]);
    const normalized = reshape(mul(centered, rsqrt(add(variance, options.eps ?? 1e-5))), x.shape);
    return affine(normalized, options, channelShape(x));
  });
}

/** The float32 machine epsilon, 2^-23: RMSNorm's eps when none is given (torch.finfo(torch.float32).eps). */
export const FLOAT32_EPS = 2 ** -23;

export interface RMSNormFunctionalOptions {
  /** Multiplies the result elementwise (shaped `normalizedShape`). */
  weight?: Tensor | null;
  /** Added to the mean square (default: the float32 machine epsilon). */
  eps?: number | null;
}

const RMS_NORM_OPTIONS: OptionKeys<RMSNormFunctionalOptions> = { weight: true, eps: true };

/**
 * Root-mean-square normalisation over the trailing dims `normalizedShape`, as
 * torch.nn.functional.rms_norm (torch 2.4): x / sqrt(mean(x^2) + eps) * weight, with eps the
 * float32 machine epsilon when null or omitted.
 */
export function rmsNorm(x: Tensor, normalizedShape: number | readonly number[], options: RMSNormFunctionalOptions = {}): Tensor {
  checkTensors('rmsNorm', [x]);
  checkOptions('rmsNorm', options, RMS_NORM_OPTIONS);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const lead = x.ndim - shape.length;
  if (shape.length === 0 || lead < 0 || !shapeEquals(x.shape.slice(lead), shape)) {
    throw new RangeError(`rmsNorm(): Given normalized_shape=${formatShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${formatShape(x.shape)}`);
  }
  return tidy(() => {
    const dims = shape.map((_, i) => lead + i);
    return affine(mul(x, rsqrt(add(mean(mul(x, x), dims, true), options.eps ?? FLOAT32_EPS))), { weight: options.weight }, shape);
  });
}

export interface InstanceNormOptions extends NormOptions {
  /** Normalise by each instance's own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the batch's statistics in the running update (0.1 by default). */
  momentum?: number;
}

const INSTANCE_NORM_OPTIONS: OptionKeys<InstanceNormOptions> = { ...NORM_OPTIONS, useInputStats: true, momentum: true };

/**
 * Normalises each channel of each sample of x [N, C, ...] over its positions, as
 * torch.nn.functional.instance_norm. With `useInputStats` and running statistics given, these
 * are updated in place with the instance statistics averaged over the batch (the variance unbiased).
 */
export function instanceNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: InstanceNormOptions = {}): Tensor {
  checkTensors('instanceNorm', [x]);
  checkOptions('instanceNorm', options, INSTANCE_NORM_OPTIONS);
  if (x.ndim < 3) throw new RangeError(`instanceNorm(): expected an input with at least 3 dims [N, C, ...], got ${formatShape(x.shape)}`);
  const eps = options.eps ?? 1e-5;
  const shape = channelShape(x);
  if (options.useInputStats === false) {
    if (!runningMean || !runningVar) throw new Error('instanceNorm(): Expected running_mean and running_var to be defined when use_input_stats is false');
    return tidy(() => affine(mul(sub(x, reshape(runningMean, shape)), rsqrt(add(reshape(runningVar, shape), eps))), options, shape));
  }
  const count = x.size / (x.shape[0]! * x.shape[1]!);
  if (count <= 1) throw new RangeError(`instanceNorm(): Expected more than 1 spatial element when training, got input size ${formatShape(x.shape)}`);
  return tidy(() => {
    const dims = x.shape.map((_, i) => i).slice(2);
    const { centered, mean: instanceMean, variance } = moments(x, dims);
    noGrad(() => {
      const momentum = options.momentum ?? 0.1;
      runningMean?.mul_(1 - momentum).add_(mul(mean(reshape(instanceMean, x.shape.slice(0, 2)), 0), momentum));
      runningVar?.mul_(1 - momentum).add_(mul(mean(reshape(variance, x.shape.slice(0, 2)), 0), (momentum * count) / (count - 1)));
    });
    return affine(mul(centered, rsqrt(add(variance, eps))), options, shape);
  });
}

export interface LocalResponseNormOptions {
  /** Scale of the windowed mean of squares (1e-4 by default). */
  alpha?: number;
  /** Exponent (0.75 by default). */
  beta?: number;
  /** Additive constant (1 by default). */
  k?: number;
}

const LOCAL_RESPONSE_NORM_OPTIONS: OptionKeys<LocalResponseNormOptions> = { alpha: true, beta: true, k: true };

/**
 * Divides x [N, C, ...] by (k + alpha * mean of x^2 over a window of `size` neighbouring channels)^beta,
 * as torch.nn.functional.local_response_norm; the window is zero-padded at the channel edges,
 * size / 2 channels before and (size - 1) / 2 after (rounded down).
 */
export function localResponseNorm(x: Tensor, size: number, options: LocalResponseNormOptions = {}): Tensor {
  checkOptions('localResponseNorm', options, LOCAL_RESPONSE_NORM_OPTIONS);
  checkTensors('localResponseNorm', [x]);
  if (x.ndim < 3) throw new RangeError(`localResponseNorm(): Expected 3D or higher dimensionality input (got ${x.ndim} dimensions)`);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`localResponseNorm(): size must be a positive integer, got ${size}`);
  const { alpha = 1e-4, beta = 0.75, k = 1 } = options;
  const channels = x.shape[1]!;
  return tidy(() => {
    const square = mul(x, x);
    const edges = [Math.floor(size / 2), Math.floor((size - 1) / 2)].map((n) => (n > 0 ? [zeros([x.shape[0]!, n, ...x.shape.slice(2)], { device: x.device })] : []));
    const padded = cat([...edges[0]!, square, ...edges[1]!], 1);
    let windowSum = narrow(padded, 1, 0, channels);
    for (let i = 1; i < size; i++) windowSum = add(windowSum, narrow(padded, 1, i, channels));
    return div(x, pow(add(mul(windowSum, alpha / size), k), beta));
  });
}
