/**
 * Times every backend method while a profile runs by swapping each started backend's methods for
 * wrappers, and swapping them back afterwards: when no profile runs, kernels are called exactly as
 * without a profiler. Kernels of `fused` are wrapped too, under `fused.<name>`.
 */
import type { Backend, View } from '../backend/types.ts';
import { deviceName } from '../backend/registry.ts';
import type { Recorder } from './recorder.ts';

type Method = (...args: unknown[]) => unknown;
/** Members that are not work: asking them must not appear in a profile. */
const untimed = new Set(['name', 'memory', 'readSync']);

function isView(value: unknown): value is View {
  return typeof value === 'object' && value !== null && 'storage' in value && Array.isArray((value as View).shape);
}

/** `unary.exp`, `reduce.sum`, `matmul`: the method, and the op code when its first argument names one. */
function kernelName(method: string, args: readonly unknown[]): string {
  return typeof args[0] === 'string' ? `${method}.${args[0]}` : method;
}

function wrap(recorder: Recorder, backend: Backend, method: string, fn: Method): Method {
  const device = deviceName(backend);
  return function flintProfiled(this: unknown, ...args: unknown[]): unknown {
    const shapes = recorder.recordShapes ? args.filter(isView).map((v) => v.shape) : null;
    const before = backend.memory().bytes;
    const token = recorder.open(kernelName(method, args), 'kernel', device, shapes);
    let bytes = 0;
    try {
      const result = fn.apply(this, args);
      bytes = backend.memory().bytes - before;
      return result;
    } finally {
      recorder.close(token, bytes);
    }
  };
}

/** Wraps the methods of `target` in place; returns what puts them back. */
function wrapMembers(recorder: Recorder, backend: Backend, target: Record<string, unknown>, prefix: string): () => void {
  const originals: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(target)) {
    if (typeof value !== 'function' || untimed.has(key)) continue;
    // A backend that delegates to another (a Proxy over it, say) reads back the other's wrappers,
    // possibly bound ("bound flintProfiled"): its calls are already recorded, on the backend doing the work.
    if (value.name.endsWith('flintProfiled')) continue;
    originals.push([key, value]);
    target[key] = wrap(recorder, backend, prefix + key, value as Method);
  }
  return () => {
    for (const [key, value] of originals) target[key] = value;
  };
}

/** Instruments `backends`; the returned function restores every one of them. */
export function instrument(recorder: Recorder, backends: readonly Backend[]): () => void {
  const restores: Array<() => void> = [];
  // One backend may be registered under several names; it is wrapped once.
  for (const backend of new Set(backends)) {
    const members = backend as unknown as Record<string, unknown>;
    restores.push(wrapMembers(recorder, backend, members, ''));
    const fused = members.fused;
    if (fused && typeof fused === 'object') restores.push(wrapMembers(recorder, backend, fused as Record<string, unknown>, 'fused.'));
  }
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}
