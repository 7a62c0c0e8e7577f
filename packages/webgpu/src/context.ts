import type { DType, View } from '@flint/core';
import type { Region } from './pool.ts';
import type { GpuRuntime, Kernel } from './runtime.ts';
import { WORKGROUP } from './runtime.ts';
import { gpuStorage, type GpuStorage, type Storages } from './storage.ts';

/** What every kernel family needs: the runtime to dispatch on and the storages to allocate from. */
export class KernelContext {
  readonly rt: GpuRuntime;
  readonly storages: Storages;

  constructor(rt: GpuRuntime, storages: Storages) {
    this.rt = rt;
    this.storages = storages;
  }

  /**
   * A fresh output storage for `op`. Reports an earlier device error first, so that an op that
   * throws it has allocated nothing.
   */
  output(op: string, size: number, dtype: DType): GpuStorage {
    this.rt.check(op);
    return this.storages.alloc(size, dtype);
  }

  /** The GPU memory behind a view's storage. */
  region(view: View): Region {
    return gpuStorage(view.storage).region;
  }

  /** Dispatches `kernel` with one thread per element for `threads` elements (nothing when 0). */
  run(op: string, kernel: Kernel, params: Uint32Array, regions: readonly Region[], threads: number): void {
    if (threads === 0) return;
    this.rt.dispatch(op, kernel, params, regions, [...this.rt.grid(Math.ceil(threads / WORKGROUP)), 1]);
  }
}
