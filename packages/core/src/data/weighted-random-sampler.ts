import { defaultGenerator, type Generator } from '../random/generator.ts';
import { checkPositiveInteger, type Sampler } from './sampler.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { SAMPLING_OPTIONS, type SamplingOptions } from '../ops/sampling.ts';
import { typeName } from '../tensor/type-name.ts';
import { checkOptionValues } from '../options/check-values.ts';

export interface WeightedRandomSamplerOptions extends SamplingOptions {
  /** Draw with replacement (default true). */
  replacement?: boolean;
}

const WEIGHTED_RANDOM_SAMPLER_OPTIONS: OptionKeys<WeightedRandomSamplerOptions> = { ...SAMPLING_OPTIONS, replacement: true };

/**
 * Indices 0..weights.length-1 drawn with probability proportional to `weights`, like
 * torch.utils.data.WeightedRandomSampler (torch.multinomial). Without replacement each index
 * appears at most once, so `numSamples` cannot exceed the number of nonzero weights.
 * @example new flint.data.WeightedRandomSampler([0.1, 0.9], 100) // mostly 1s
 */
export class WeightedRandomSampler implements Sampler<number> {
  readonly weights: Float64Array;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(
    weights: ArrayLike<number>,
    readonly numSamples: number,
    options: WeightedRandomSamplerOptions = {},
  ) {
    checkOptions('WeightedRandomSampler', options, WEIGHTED_RANDOM_SAMPLER_OPTIONS);
    checkOptionValues('WeightedRandomSampler', options, { replacement: 'boolean', generator: 'Generator' });
    if (typeof (weights as ArrayLike<number> | null)?.length !== 'number' || typeof weights === 'string') {
      throw new TypeError(`WeightedRandomSampler: weights should be a list of numbers, but got ${typeName(weights)}`);
    }
    checkPositiveInteger('WeightedRandomSampler', 'numSamples', numSamples);
    this.weights = Float64Array.from(weights);
    this.replacement = options.replacement ?? true;
    this.generator = options.generator;
    if (this.weights.some((w) => !Number.isFinite(w) || w < 0)) {
      throw new RangeError('WeightedRandomSampler: probability tensor contains either `inf`, `nan` or element < 0');
    }
    const nonzero = this.weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
    if (nonzero === 0) throw new RangeError('WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)');
    if (!this.replacement && numSamples > nonzero) {
      throw new RangeError(`WeightedRandomSampler: cannot sample numSamples=${numSamples} without replacement from ${nonzero} categories with nonzero weight`);
    }
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const generator = this.generator ?? defaultGenerator;
    yield* this.replacement ? this.withReplacement(generator) : this.withoutReplacement(generator);
  }

  /** Inverse-CDF sampling: the first index whose running weight exceeds u * total. */
  private withReplacement(generator: Generator): Int32Array {
    const cdf = new Float64Array(this.weights.length);
    let total = 0;
    this.weights.forEach((w, i) => (cdf[i] = total += w));
    const out = new Int32Array(this.numSamples);
    generator.uniform(this.numSamples).forEach((u, k) => {
      const target = u * total;
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! > target) hi = mid;
        else lo = mid + 1;
      }
      out[k] = lo;
    });
    return out;
  }

  /**
   * The exponential race PyTorch's multinomial uses: index i finishes at time Exp(1) / w_i, and the
   * first numSamples finishers are a weighted sample without replacement, in draw order.
   */
  private withoutReplacement(generator: Generator): Int32Array {
    const u = generator.uniform(this.weights.length);
    const finish = Array.from(this.weights, (w, i) => (w > 0 ? -Math.log(1 - u[i]!) / w : Infinity));
    const order = Array.from(finish.keys()).sort((a, b) => finish[a]! - finish[b]!);
    return Int32Array.from(order.slice(0, this.numSamples));
  }
}
