import { typeName } from '../tensor/type-name.ts';

/**
 * An iterable of dataset indices (or, for a batch sampler, of index batches) that knows how many it
 * yields, like torch.utils.data.Sampler. Any `Iterable<number>` can serve as a DataLoader sampler;
 * `length` is only needed for the loader's own `length`.
 */
export interface Sampler<T = number> extends Iterable<T> {
  readonly length: number;
}

/** The sampler's `length`, or a TypeError naming `owner` when it has none. */
export function samplerLength(sampler: Iterable<unknown>, owner: string): number {
  const n = (sampler as Partial<Sampler<unknown>>).length;
  if (typeof n !== 'number') throw new TypeError(`${owner}: the sampler has no length`);
  return n;
}

/** Positive-integer check shared by the samplers, phrased like PyTorch's. */
export function checkPositiveInteger(owner: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${owner}: ${name} should be a positive integer value, but got ${name}=${String(value)}`);
  }
}

/** Throws a TypeError naming `owner` unless `dataSource` has a non-negative integer `length`. */
export function checkSized(owner: string, dataSource: unknown): void {
  const n = (dataSource as { length?: unknown } | null | undefined)?.length;
  if (typeof dataSource === 'object' && Number.isInteger(n) && (n as number) >= 0) return;
  throw new TypeError(`${owner}: dataSource should have a non-negative integer length, but got ${typeName(dataSource)}`);
}

/**
 * Indices 0, 1, ..., length - 1 in order, like torch.utils.data.SequentialSampler.
 * @example [...new flint.data.SequentialSampler(ds)] // [0, 1, 2, ...]
 */
export class SequentialSampler implements Sampler<number> {
  constructor(readonly dataSource: { readonly length: number }) {
    checkSized('SequentialSampler', dataSource);
  }

  get length(): number {
    return this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.dataSource.length; i++) yield i;
  }
}
