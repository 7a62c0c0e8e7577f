/**
 * Sampling from tensors of parameters: multinomial, bernoulli and normal. The random numbers come
 * from the generator's host stream (the same words on every backend) and the sampling itself is
 * composed from tensor ops, so no values are read back.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, formatShape } from '../tensor/shape.ts';
import { defaultGenerator, type Generator } from '../random/generator.ts';
import { rand, randn } from './creation.ts';
import { add, clamp, div, log, mul, where } from './elementwise.ts';
import { ge, isfinite, logicalAnd, logicalNot, lt } from './compare.ts';
import { castTo } from './cast.ts';
import { all, cumsum, sum } from './reduce.ts';
import { narrow, squeeze, unsqueeze } from './view.ts';
import { topk } from './sort.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface SamplingOptions {
  generator?: Generator;
}

export const SAMPLING_OPTIONS: OptionKeys<SamplingOptions> = { generator: true };

export interface MultinomialOptions extends SamplingOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
}

const MULTINOMIAL_OPTIONS: OptionKeys<MultinomialOptions> = { ...SAMPLING_OPTIONS, replacement: true };

export interface NormalOptions extends SamplingOptions {
  /** The result's shape when `mean` and `std` are both numbers. */
  size?: readonly number[];
  /** Where the result lives when `mean` and `std` are both numbers. */
  device?: string;
}

const NORMAL_OPTIONS: OptionKeys<NormalOptions> = { ...SAMPLING_OPTIONS, size: true, device: true };

/**
 * Checks what PyTorch checks of a distribution's probabilities, where the backend can read them
 * synchronously (a GPU backend leaves them unchecked rather than stall its queue).
 */
function assertProbabilities(probs: Tensor, numSamples: number, replacement: boolean): void {
  if (!probs.backend.readSync) return;
  const [finite, nonNegative, positiveRows, enough] = tidy(() => {
    const nonzero = sum(lt(0, probs), -1);
    return [
      all(isfinite(probs)).itemSync(),
      all(ge(probs, 0)).itemSync(),
      all(lt(0, sum(probs, -1))).itemSync(),
      replacement || all(ge(nonzero, numSamples)).itemSync(),
    ];
  });
  if (!finite || !nonNegative) throw new RangeError('multinomial(): probability tensor contains either `inf`, `nan` or element < 0');
  if (!positiveRows) throw new RangeError('multinomial(): invalid multinomial distribution (sum of probabilities <= 0)');
  if (!enough) throw new RangeError('multinomial(): invalid multinomial distribution (with replacement=False, not enough non-negative category to sample)');
}

/**
 * `numSamples` category indices (int32) per row of the non-negative weights `probs` (1-D or 2-D,
 * not necessarily normalised). Without replacement a category is drawn at most once per row.
 * @example flint.multinomial(probs, 1) // nanoGPT's next-token sampling
 */
export function multinomial(probs: Tensor, numSamples: number, options: MultinomialOptions = {}): Tensor {
  checkTensors('multinomial', [probs]);
  checkOptions('multinomial', options, MULTINOMIAL_OPTIONS);
  if (probs.ndim < 1 || probs.ndim > 2) throw new RangeError(`multinomial(): prob_dist must be 1 or 2 dim, got ${probs.ndim}`);
  if (probs.dtype !== 'float32') throw new TypeError(`multinomial(): only supports floating-point dtypes for input, got: ${probs.dtype}`);
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError(`multinomial(): cannot sample n_sample <= 0 samples, got ${numSamples}`);
  const replacement = options.replacement ?? false;
  const categories = probs.shape.at(-1)!;
  if (!replacement && numSamples > categories) {
    throw new RangeError(`multinomial(): cannot sample n_sample > prob_dist.size(-1) samples without replacement (${numSamples} > ${categories})`);
  }
  assertProbabilities(probs, numSamples, replacement);
  const generator = options.generator ?? defaultGenerator;
  return noGrad(() =>
    tidy(() => {
      const rows = probs.ndim === 1 ? unsqueeze(probs, 0) : probs;
      const device = { device: probs.device, generator };
      const drawn = replacement ? withReplacement(rows, numSamples, device) : withoutReplacement(rows, numSamples, device);
      return probs.ndim === 1 ? squeeze(drawn, 0) : drawn;
    }),
  );
}

/** Inverse-CDF draws: the count of cumulative weights at or below u * total is the category. */
function withReplacement(rows: Tensor, numSamples: number, options: { device: string; generator: Generator }): Tensor {
  const cdf = cumsum(rows, -1);
  const total = narrow(cdf, -1, rows.shape[1]! - 1, 1);
  const u = mul(rand([rows.shape[0]!, numSamples], options), total);
  const below = sum(castTo(ge(unsqueeze(u, -1), unsqueeze(cdf, 1)), 'int32'), -1);
  // Rounding can leave u * total at the last cumulative weight: that draw is the last category.
  return castTo(clamp(below, 0, rows.shape[1]! - 1), 'int32');
}

/** Exponential races: the k smallest E / p (E exponential) are a draw of k without replacement. */
function withoutReplacement(rows: Tensor, numSamples: number, options: { device: string; generator: Generator }): Tensor {
  const u = rand(rows.shape, options);
  // log(u) / p is largest for the winners; zero weights give -Infinity and never win.
  const keys = where(logicalNot(lt(0, rows)), -Infinity, div(log(u), rows));
  return topk(keys, numSamples, { dim: -1 }).indices;
}

/** 1 with probability `p` (each element of `probs`, in [0, 1]), else 0, as float32. */
export function bernoulli(probs: Tensor, options: SamplingOptions = {}): Tensor {
  checkTensors('bernoulli', [probs]);
  checkOptions('bernoulli', options, SAMPLING_OPTIONS);
  if (probs.dtype !== 'float32') throw new TypeError(`bernoulli(): expected a float32 tensor of probabilities, got ${probs.dtype}`);
  if (probs.backend.readSync && !tidy(() => all(logicalAnd(ge(probs, 0), ge(1, probs))).itemSync())) {
    throw new RangeError('bernoulli(): Expected p_in >= 0 && p_in <= 1 to be true');
  }
  return noGrad(() => tidy(() => castTo(lt(rand(probs.shape, { device: probs.device, generator: options.generator }), probs), 'float32')));
}

/**
 * Normal samples with the given `mean` and `std` (tensors or numbers, broadcast together), as
 * `mean + std * N(0, 1)`: differentiable in both, the reparameterised sample.
 */
export function normal(mean: Tensor | number, std: Tensor | number, options: NormalOptions = {}): Tensor {
  checkOptions('normal', options, NORMAL_OPTIONS);
  const shapeOf = (v: Tensor | number): readonly number[] => (typeof v === 'number' ? [] : v.shape);
  const shape = options.size ? [...options.size] : broadcastShapes('normal', shapeOf(mean), shapeOf(std));
  if (typeof std === 'number' ? std < 0 : std.backend.readSync && !tidy(() => all(ge(std, 0)).itemSync())) {
    throw new RangeError(`normal(): expected all elements of std >= 0.0, in a std of shape ${formatShape(shapeOf(std))}`);
  }
  const device = typeof mean !== 'number' ? mean.device : typeof std !== 'number' ? std.device : options.device;
  return tidy(() => add(mul(randn(shape, { device, generator: options.generator }), std), mean));
}
