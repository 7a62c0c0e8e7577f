/**
 * Swapping a started backend's methods for wrappers and back, for tools that watch every kernel
 * while they run (the profiler, the tracer): when none runs, kernels are called exactly as without them.
 */
import type { Backend, View } from './types.ts';

/** Whether a method's argument is a strided view (kernels take views; storage methods take storages). */
export function isView(value: unknown): value is View {
  return typeof value === 'object' && value !== null && 'storage' in value && Array.isArray((value as View).shape);
}

/** A backend method, taken generically. */
export type Method = (...args: unknown[]) => unknown;
/** Members that are not work: asking them is never wrapped. */
const unwrapped = new Set(['name', 'memory', 'readSync']);

/** Makes the wrapper of `method` (`fused.` prefixed for fused kernels) of `backend`; its function name must end in `marker`. */
export type MakeWrapper = (backend: Backend, method: string, fn: Method) => Method;

/** Wraps the methods of `target` in place; returns what puts them back. */
function wrapMembers(backend: Backend, target: Record<string, unknown>, prefix: string, marker: string, make: MakeWrapper): () => void {
  const originals: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== 'function' || unwrapped.has(key)) continue;
    // A backend that delegates to another (a Proxy over it, say) reads back the other's wrappers,
    // possibly bound ("bound flintProfiled"): its calls are already seen, on the backend doing the work.
    if (value.name.endsWith(marker)) continue;
    originals.push([key, value]);
    target[key] = make(backend, prefix + key, value as Method);
  }
  return () => {
    for (const [key, value] of originals) target[key] = value;
  };
}

/**
 * Wraps every method of `backends` (and of their `fused` kernels) with `make`; the returned
 * function restores every one of them. `marker` is the suffix of the wrappers' function names.
 */
export function swapMethods(backends: readonly Backend[], marker: string, make: MakeWrapper): () => void {
  const restores: Array<() => void> = [];
  // One backend may be registered under several names; it is wrapped once.
  for (const backend of new Set(backends)) {
    const members = backend as unknown as Record<string, unknown>;
    restores.push(wrapMembers(backend, members, '', marker, make));
    const fused = members.fused;
    if (fused && typeof fused === 'object') restores.push(wrapMembers(backend, fused as Record<string, unknown>, 'fused.', marker, make));
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
