import { defaultGenerator } from '../random/generator.ts';
import type { Dataset } from './dataset.ts';
import { permutation } from '../random/draws.ts';
import { Subset } from './subset.ts';
import { checkOptions } from '../options/check-options.ts';
import { SAMPLING_OPTIONS, type SamplingOptions } from '../ops/sampling.ts';

/**
 * Splits `dataset` into non-overlapping random subsets, like torch.utils.data.random_split.
 * `lengths` are item counts summing to the dataset's length, or fractions summing to 1: each split
 * gets floor(length * fraction) items and the remainder is dealt out one by one from the first.
 * @example
 * const [train, val] = flint.data.randomSplit(ds, [0.8, 0.2], { generator: new flint.Generator(42) });
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], options: SamplingOptions = {}): Subset<T>[] {
  checkOptions('randomSplit', options, SAMPLING_OPTIONS);
  const n = dataset.length;
  const counts = isFractions(lengths) ? fractionCounts(lengths, n) : [...lengths];
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) throw new RangeError(`randomSplit: length at index ${i} must be a non-negative integer or a fraction, got ${lengths[i]}`);
  });
  if (counts.reduce((a, b) => a + b, 0) !== n) {
    throw new RangeError(`randomSplit: Sum of input lengths does not equal the length of the input dataset! (lengths [${lengths.join(', ')}], dataset length ${n})`);
  }
  const perm = permutation(n, options.generator ?? defaultGenerator);
  let offset = 0;
  return counts.map((c) => new Subset(dataset, Array.from(perm.subarray(offset, (offset += c)))));
}

/** PyTorch's test: the lengths sum to 1 (math.isclose) without exceeding it. */
function isFractions(lengths: readonly number[]): boolean {
  const sum = lengths.reduce((a, b) => a + b, 0);
  return Math.abs(sum - 1) <= 1e-9 && sum <= 1;
}

function fractionCounts(fractions: readonly number[], n: number): number[] {
  const counts = fractions.map((f, i) => {
    if (!(f >= 0 && f <= 1)) throw new RangeError(`randomSplit: Fraction at index ${i} is not between 0 and 1`);
    return Math.floor(n * f);
  });
  const remainder = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
  return counts;
}
