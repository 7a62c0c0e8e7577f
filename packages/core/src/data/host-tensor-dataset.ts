import { Dataset, checkIndex } from './dataset.ts';
import { hostRow, type HostTensor } from './host-tensor.ts';

/** A TensorDataset as a worker thread rebuilds it: the same rows, as host views of shared memory. */
export class HostTensorDataset extends Dataset<HostTensor[]> {
  constructor(readonly tensors: readonly HostTensor[]) {
    super();
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  getItem(index: number): HostTensor[] {
    checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => hostRow(t, index));
  }
}
