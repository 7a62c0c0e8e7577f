/** Batches are trees of arrays and plain objects; these walk them. Host tensors count as leaves. */
import { isHostTensor } from './host-tensor.ts';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || isHostTensor(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` rebuilt with every leaf (anything but an array or plain object) replaced by `fn(leaf)`. */
export function mapTree(value: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapTree(v, fn));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapTree(v, fn)]));
  return fn(value);
}

/** Calls `fn` on every leaf of `value`. */
export function forEachLeaf(value: unknown, fn: (leaf: unknown) => void): void {
  if (Array.isArray(value)) for (const v of value) forEachLeaf(v, fn);
  else if (isPlainObject(value)) for (const v of Object.values(value)) forEachLeaf(v, fn);
  else fn(value);
}
