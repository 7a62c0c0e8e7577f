import { defaultGenerator, type Generator } from '../random/generator.ts';
import { permutation, randomIndices } from '../random/draws.ts';
import { checkPositiveInteger, checkSized, type Sampler } from './sampler.ts';
import { checkIndexList } from './dataset.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { SAMPLING_OPTIONS, type SamplingOptions } from '../ops/sampling.ts';
import { checkOptionValues } from '../options/check-values.ts';

export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices to draw (default: the dataset's length). */
  numSamples?: number;
  /** The random stream (default: flint's default generator). */
  generator?: Generator;
}

const RANDOM_SAMPLER_OPTIONS: OptionKeys<RandomSamplerOptions> = { replacement: true, numSamples: true, generator: true };

/**
 * Random indices into a dataset, like torch.utils.data.RandomSampler: a fresh permutation on every
 * iteration, or independent draws with `replacement`. Without replacement, `numSamples` beyond the
 * dataset's length takes further permutations.
 * @example new flint.data.RandomSampler(ds, { generator: new flint.Generator(0) })
 */
export class RandomSampler implements Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly requested: number | undefined;

  constructor(
    readonly dataSource: { readonly length: number },
    options: RandomSamplerOptions = {},
  ) {
    checkSized('RandomSampler', dataSource);
    checkOptions('RandomSampler', options, RANDOM_SAMPLER_OPTIONS);
    checkOptionValues('RandomSampler', options, { replacement: 'boolean', generator: 'Generator' });
    if (options.numSamples !== undefined) checkPositiveInteger('RandomSampler', 'numSamples', options.numSamples);
    this.replacement = options.replacement ?? false;
    this.requested = options.numSamples;
    this.generator = options.generator;
  }

  /** Indices drawn per iteration. */
  get numSamples(): number {
    return this.requested ?? this.dataSource.length;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    if (n === 0 && this.numSamples > 0) throw new RangeError(`RandomSampler: cannot draw numSamples=${this.numSamples} from an empty dataset`);
    const generator = this.generator ?? defaultGenerator;
    if (this.replacement) {
      yield* randomIndices(this.numSamples, n, generator);
      return;
    }
    for (let left = this.numSamples; left > 0; left -= n) yield* permutation(n, generator).subarray(0, Math.min(n, left));
  }
}

/**
 * The given indices in random order, a fresh order on every iteration, like
 * torch.utils.data.SubsetRandomSampler.
 * @example new flint.data.SubsetRandomSampler([0, 2, 4, 6])
 */
export class SubsetRandomSampler implements Sampler<number> {
  constructor(
    readonly indices: readonly number[],
    readonly options: SamplingOptions = {},
  ) {
    checkIndexList('SubsetRandomSampler', 'indices', indices);
    checkOptions('SubsetRandomSampler', options, SAMPLING_OPTIONS);
    checkOptionValues('SubsetRandomSampler', options, { generator: 'Generator' });
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const i of permutation(this.indices.length, this.options.generator ?? defaultGenerator)) yield this.indices[i]!;
  }
}
