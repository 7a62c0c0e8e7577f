import { tensor } from '../ops/creation.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { isHostTensor, type HostTensor } from './host-tensor.ts';
import { mapTree } from './tree.ts';

/** A host tensor as a tensor on the default device. */
export function hostToTensor(h: HostTensor): Tensor {
  const flat = tensor(h.data, { dtype: h.dtype });
  const out = flat.reshape(h.shape);
  if (out !== flat) flat.dispose();
  return out;
}

/** A batch that came from a worker thread, with its host tensors made tensors again. */
export function reviveTree(tree: unknown): unknown {
  return mapTree(tree, (leaf) => (isHostTensor(leaf) ? hostToTensor(leaf) : leaf));
}
