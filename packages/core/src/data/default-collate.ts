import { stack } from '../ops/join.ts';
import { Tensor } from '../tensor/tensor.ts';
import { collateHostLeaves, collateStructure, sameKind } from './collate-structure.ts';
import { hostToTensor } from './revive.ts';

/** The type {@link defaultCollate} makes of a batch of `T`s. */
export type Collated<T> = T extends Tensor | number | boolean | ArrayBufferView
  ? Tensor
  : T extends string
    ? string[]
    : T extends object
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : never;

/**
 * Merges a list of items into a batch, like PyTorch's default_collate: tensors stack along a new
 * first dim, typed arrays stack into a 2-D tensor (float32 for float arrays, else int32), numbers
 * become a 1-D tensor (int32 if all are integers, else float32), booleans a bool tensor, strings
 * an array of strings; arrays collate position by position and plain objects key by key.
 * @example
 * flint.data.defaultCollate([{ x: flint.ones([2]), y: 1 }, { x: flint.zeros([2]), y: 0 }])
 * // { x: Tensor [2, 2], y: Tensor [2] (int32) }
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  return collateStructure(batch, (leaves) => {
    if (leaves[0] instanceof Tensor) return stack(sameKind(leaves, (v): v is Tensor => v instanceof Tensor, 'tensors'));
    const host = collateHostLeaves(leaves);
    return host && hostToTensor(host);
  }) as Collated<T>;
}
