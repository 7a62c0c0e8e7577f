import { Dataset, checkDataset, checkIndex, checkIndexList } from './dataset.ts';

/**
 * The items of `dataset` at `indices`, in that order, like torch.utils.data.Subset.
 * @example const firstTen = new flint.data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export class Subset<T> extends Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: readonly number[],
  ) {
    checkDataset('Subset', dataset, false);
    checkIndexList('Subset', 'indices', indices);
    super();
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): T {
    checkIndex('Subset', index, this.indices.length);
    return this.dataset.getItem(this.indices[index]!);
  }
}
