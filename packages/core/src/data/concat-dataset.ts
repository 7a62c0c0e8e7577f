import { typeName } from '../tensor/type-name.ts';
import { type AnyDataset, Dataset, checkIndex, isMapDataset } from './dataset.ts';

/**
 * Several map-style datasets read as one, in order, like torch.utils.data.ConcatDataset.
 * @example const all = new flint.data.ConcatDataset([train, extra]); // all.length = train.length + extra.length
 */
export class ConcatDataset<T> extends Dataset<T> {
  /** Running totals of the datasets' lengths: item i lives in the first dataset whose total exceeds i. */
  readonly cumulativeSizes: readonly number[];

  constructor(readonly datasets: readonly Dataset<T>[]) {
    super();
    if (!Array.isArray(datasets)) throw new TypeError(`ConcatDataset: datasets should be a list of datasets, but got ${typeName(datasets)}`);
    if (datasets.length === 0) throw new RangeError('ConcatDataset: datasets should not be an empty iterable');
    let total = 0;
    this.cumulativeSizes = datasets.map((d, i) => {
      if (typeof d !== 'object' || d === null) throw new TypeError(`ConcatDataset: dataset ${i} should be a Dataset, but got ${typeName(d)}`);
      if (!isMapDataset(d as AnyDataset<T>)) throw new TypeError(`ConcatDataset: does not support IterableDataset (dataset ${i})`);
      return (total += d.length);
    });
  }

  get length(): number {
    return this.cumulativeSizes.at(-1)!;
  }

  getItem(index: number): T {
    checkIndex('ConcatDataset', index, this.length);
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid]! > index) hi = mid;
      else lo = mid + 1;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1]!;
    return this.datasets[lo]!.getItem(index - start);
  }
}
