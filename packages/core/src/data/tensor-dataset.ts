import { Tensor } from '../tensor/tensor.ts';
import { typeName } from '../tensor/type-name.ts';
import { formatShape } from '../tensor/shape.ts';
import { Dataset, checkIndex } from './dataset.ts';

/**
 * Rows of tensors that share their first dimension, like torch.utils.data.TensorDataset: item `i`
 * is `[t0[i], t1[i], ...]` as views (no copy). The dataset does not own the tensors.
 * @example
 * const ds = new flint.data.TensorDataset(x, y); // x [N, 784], y [N]
 * const [xi, yi] = ds.getItem(0);                 // xi [784], yi []
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: T;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new RangeError('TensorDataset: expected at least one tensor');
    const first = tensors[0]!;
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i + 1} must be a Tensor, not ${typeName(t)}`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${i} is 0-dimensional; every tensor needs a first dimension to index`);
      if (t.shape[0] !== first.shape[0]) {
        throw new RangeError(`TensorDataset: Size mismatch between tensors: tensor 0 has shape ${formatShape(first.shape)} but tensor ${i} has shape ${formatShape(t.shape)}`);
      }
    });
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  getItem(index: number): T {
    checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => t.select(0, index)) as T;
  }
}
