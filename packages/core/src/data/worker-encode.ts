/** How a worker thread turns the items it fetched into a message for the main thread. */
import { collateHostLeaves, collateStructure, sameKind } from './collate-structure.ts';
import { copyHost, hostFromTensorLike, isHostTensor, isTensorLike, stackHost } from './host-tensor.ts';
import { forEachLeaf, mapTree } from './tree.ts';

/** {@link defaultCollate} on the worker side: the same batch, with host tensors in place of tensors. */
export function hostCollate(items: readonly unknown[]): unknown {
  return collateStructure(items, (leaves) =>
    isTensorLike(leaves[0]) ? stackHost(sameKind(leaves, isTensorLike, 'tensors').map(hostFromTensorLike)) : collateHostLeaves(leaves),
  );
}

/**
 * Uncollated items, for a user collateFn that runs on the main thread: tensors become host copies
 * (rebuilt as tensors there), everything else crosses by structured clone.
 */
export function hostItems(items: readonly unknown[]): unknown {
  return mapTree(items, (leaf) => (isTensorLike(leaf) ? copyHost(hostFromTensorLike(leaf)) : isHostTensor(leaf) ? copyHost(leaf) : leaf));
}

/**
 * The buffers of a message's host tensors, to transfer rather than copy. Every host tensor in a
 * message owns fresh memory (collate and hostItems copy), so transferring detaches nothing the
 * dataset still uses; shared memory cannot be transferred and is left out.
 */
export function transferables(message: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  forEachLeaf(message, (leaf) => {
    if (isHostTensor(leaf) && leaf.data.buffer instanceof ArrayBuffer) buffers.add(leaf.data.buffer);
  });
  return [...buffers];
}
