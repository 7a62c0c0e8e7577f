import { checkPositiveInteger, samplerLength, type Sampler } from './sampler.ts';
import { typeName } from '../tensor/type-name.ts';

/**
 * Groups another sampler's indices into batches of `batchSize`, like torch.utils.data.BatchSampler;
 * the last, shorter batch is dropped when `dropLast`.
 * @example [...new flint.data.BatchSampler(new flint.data.SequentialSampler(ds), 3, false)] // [[0, 1, 2], [3, 4, 5], ...]
 */
export class BatchSampler implements Sampler<number[]> {
  constructor(
    readonly sampler: Iterable<number>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    if (typeof (sampler as Partial<Iterable<number>> | null)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(`BatchSampler: sampler should be an iterable of indices, but got ${typeName(sampler)}`);
    }
    checkPositiveInteger('BatchSampler', 'batchSize', batchSize);
    if (typeof dropLast !== 'boolean') throw new TypeError(`BatchSampler: dropLast should be a boolean value, but got dropLast=${String(dropLast)}`);
  }

  /** Number of batches: needs the inner sampler's length. */
  get length(): number {
    const n = samplerLength(this.sampler, 'BatchSampler');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const index of this.sampler) {
      batch.push(index);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
