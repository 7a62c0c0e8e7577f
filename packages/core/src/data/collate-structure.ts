import { hostFromScalars, hostFromTypedArray, isHostTensor, isTypedArray, stackHost, type HostTensor } from './host-tensor.ts';
import { isPlainObject } from './tree.ts';

/**
 * PyTorch's default_collate recursion, shared by the main-thread and worker collates: strings
 * gather into arrays, arrays collate position by position, plain objects key by key. Anything else
 * is a leaf batch that `leaf` turns into a tensor, or rejects by returning undefined.
 */
export function collateStructure(batch: readonly unknown[], leaf: (leaves: readonly unknown[]) => unknown): unknown {
  if (batch.length === 0) throw new RangeError('defaultCollate: batch is empty');
  const first = batch[0];
  if (typeof first === 'string') return [...sameKind(batch, (v) => typeof v === 'string', 'strings')];
  if (Array.isArray(first)) {
    if (!batch.every((b) => Array.isArray(b) && b.length === first.length)) {
      throw new RangeError('defaultCollate: each element in list of batch should be of equal size');
    }
    return first.map((_, i) => collateStructure(batch.map((b) => (b as unknown[])[i]), leaf));
  }
  if (isPlainObject(first)) {
    const objects = sameKind(batch, isPlainObject, 'plain objects');
    return Object.fromEntries(Object.keys(first).map((key) => [key, collateStructure(objects.map((o) => o[key]), leaf)]));
  }
  const out = leaf(batch);
  if (out === undefined) {
    throw new TypeError(`defaultCollate: batch must contain tensors, typed arrays, numbers, booleans, strings, arrays or plain objects; found ${describe(first)}`);
  }
  return out;
}

/**
 * The leaves both collates turn into a tensor the same way: host tensors and typed arrays stack,
 * numbers and booleans become a 1-D tensor. Undefined for other leaves.
 */
export function collateHostLeaves(leaves: readonly unknown[]): HostTensor | undefined {
  const first = leaves[0];
  if (isHostTensor(first)) return stackHost(sameKind(leaves, isHostTensor, 'tensors'));
  if (isTypedArray(first)) return stackHost(sameKind(leaves, isTypedArray, 'typed arrays').map(hostFromTypedArray));
  if (typeof first === 'number' || typeof first === 'boolean') {
    return hostFromScalars(sameKind(leaves, (v): v is number | boolean => typeof v === 'number' || typeof v === 'boolean', 'numbers and booleans'));
  }
  return undefined;
}

/** `batch`, checked to hold only what the first element is. */
export function sameKind<T>(batch: readonly unknown[], is: (v: unknown) => v is T, what: string): T[] {
  const odd = batch.findIndex((v) => !is(v));
  if (odd >= 0) throw new TypeError(`defaultCollate: a batch of ${what} also holds ${describe(batch[odd])} (entry ${odd}); every item must have the same structure`);
  return batch as T[];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object without prototype';
}
