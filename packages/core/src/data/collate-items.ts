import { tidy } from '../memory/scope.ts';
import { Tensor, peekNextTensorId } from '../tensor/tensor.ts';
import { forEachLeaf } from './tree.ts';

/** The tensor id a fetch starts at: item tensors at or above it were made by this fetch. */
export const fetchStart = peekNextTensorId;

/**
 * Collates `items` and then frees the item tensors made since `start` (a TensorDataset's row
 * views, say) that the batch does not hold. Collate runs in tidy, so its intermediates go too.
 * getItem itself is not tidied: tensors a dataset makes and keeps (a cache filled on first use)
 * must survive, and what it makes and drops is left to the caller and the garbage collector.
 */
export function collateItems<T, B>(items: T[], collate: (items: T[]) => B, start: number): B {
  const batch = tidy(() => collate(items));
  const kept = new Set<unknown>();
  forEachLeaf(batch, (leaf) => kept.add(leaf));
  forEachLeaf(items, (leaf) => {
    if (leaf instanceof Tensor && leaf.id >= start && !kept.has(leaf)) leaf.dispose();
  });
  return batch;
}
