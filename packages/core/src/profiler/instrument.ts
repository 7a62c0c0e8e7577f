/**
 * Times every backend method while a profile runs by swapping each started backend's methods for
 * wrappers, and swapping them back afterwards: when no profile runs, kernels are called exactly as
 * without a profiler. Kernels of `fused` are wrapped too, under `fused.<name>`.
 */
import type { Backend } from '../backend/types.ts';
import { deviceName } from '../backend/registry.ts';
import { isView, swapMethods, type Method } from '../backend/swap-methods.ts';
import type { Recorder } from './recorder.ts';

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

/** Instruments `backends`; the returned function restores every one of them. */
export function instrument(recorder: Recorder, backends: readonly Backend[]): () => void {
  return swapMethods(backends, 'flintProfiled', (backend, method, fn) => wrap(recorder, backend, method, fn));
}
