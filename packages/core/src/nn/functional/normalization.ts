/** Batch, layer and group normalisation, composed from primitives so every order of gradient works. */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.ts';
import { mean } from '../../ops/reduce.ts';
import { reshape } from '../../ops/view.ts';

/** Settings shared by the normalisations: the affine weight and bias, and eps added to the variance. */
export interface NormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance before the square root (1e-5 by default). */
  eps?: number;
}

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
}

/**
 * Normalises over the trailing dims `normalizedShape`, as torch.nn.functional.layer_norm; weight and
 * bias have that shape.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: NormOptions = {}): Tensor {
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
}

/**
 * Normalises each of `numGroups` channel groups of x [N, C, ...] over its channels and positions,
 * as torch.nn.functional.group_norm; weight and bias are per channel [C].
 */
export function groupNorm(x: Tensor, numGroups: number, options: NormOptions = {}): Tensor {
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
