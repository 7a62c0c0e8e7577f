import type { AnyTypedArray, BackendMemory, DType, Storage } from '@flint/core';
import type { Region } from './pool.ts';
import type { GpuRuntime } from './runtime.ts';

/** Every dtype takes one 32-bit word per element on the GPU; bool is 0 or 1 in a u32. */
export const WORD = 4;

/** A region of GPU memory holding `size` elements of `dtype`; `region` throws once freed. */
export class GpuStorage implements Storage {
  readonly size: number;
  readonly dtype: DType;
  #region: Region | undefined;

  constructor(region: Region, size: number, dtype: DType) {
    this.#region = region;
    this.size = size;
    this.dtype = dtype;
  }

  get region(): Region {
    if (!this.#region) throw new Error('webgpu: storage used after free');
    return this.#region;
  }

  /** Gives up the region; throws on a second call. */
  take(): Region {
    const region = this.region;
    this.#region = undefined;
    return region;
  }
}

/** The GpuStorage behind a core-facing Storage (which must come from this backend). */
export function gpuStorage(storage: Storage): GpuStorage {
  if (!(storage instanceof GpuStorage)) throw new Error('webgpu: storage belongs to another backend');
  return storage;
}

/** Bytes a host array of `size` elements of `dtype` takes: what memory() reports, as cpu-js does. */
function hostBytes(size: number, dtype: DType): number {
  return size * (dtype === 'bool' ? 1 : 4);
}

/** Owns live storages' accounting and their trips between host and GPU. */
export class Storages {
  readonly #rt: GpuRuntime;
  #bytes = 0;
  #buffers = 0;

  constructor(rt: GpuRuntime) {
    this.#rt = rt;
  }

  /** A new storage of `size` elements; contents unspecified. */
  alloc(size: number, dtype: DType): GpuStorage {
    const limit = this.#rt.device.limits.maxStorageBufferBindingSize;
    if (size * WORD > limit) {
      throw new RangeError(`webgpu: a ${dtype} tensor of ${size} elements (${size * WORD} bytes) exceeds this device's largest storage binding (${limit} bytes)`);
    }
    this.#bytes += hostBytes(size, dtype);
    this.#buffers++;
    return new GpuStorage(this.#rt.pool.acquire(size * WORD), size, dtype);
  }

  /** A new storage holding `data` (bool widened to u32). */
  upload(data: AnyTypedArray, dtype: DType): GpuStorage {
    const storage = this.alloc(data.length, dtype);
    if (data.length > 0) this.#rt.write(storage.region, dtype === 'bool' ? Uint32Array.from(data) : data);
    return storage;
  }

  /** The storage's elements on the host, in its dtype's array class. */
  async read(storage: GpuStorage): Promise<AnyTypedArray> {
    if (storage.size === 0) return hostArray(storage.dtype, new ArrayBuffer(0));
    const bytes = await this.#rt.read('read', storage.region, storage.size * WORD);
    return hostArray(storage.dtype, bytes);
  }

  /** Releases a storage's region to the pool. */
  free(storage: GpuStorage): void {
    this.#rt.pool.release(storage.take());
    this.#bytes -= hostBytes(storage.size, storage.dtype);
    this.#buffers--;
  }

  memory(): BackendMemory {
    return { bytes: this.#bytes, buffers: this.#buffers };
  }
}

function hostArray(dtype: DType, bytes: ArrayBuffer): AnyTypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes);
    case 'int32':
      return new Int32Array(bytes);
    case 'bool':
      return Uint8Array.from(new Uint32Array(bytes));
  }
}
