import type { AnyTypedArray, BackendMemory, DType, Storage, TypedArrayFor, View } from '@flint/core';

/**
 * Freed small arrays, by dtype and length, for reuse. Allocating a typed array and collecting it
 * later cost more than the arithmetic of a small op; a training step frees and reallocates the
 * same shapes every time.
 */
const recycled: Record<DType, Map<number, AnyTypedArray[]>> = { float32: new Map(), int32: new Map(), bool: new Map() };
/** Arrays up to this many elements are recycled, up to this many bytes in all. */
const RECYCLE_MAX_ELEMENTS = 1 << 16;
const RECYCLE_MAX_BYTES = 32 << 20;
let recycledBytes = 0;

function allocate(dtype: DType, size: number): AnyTypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** A zeroed host array of `size` elements of `dtype`: a recycled one when available. */
export function newArray<D extends DType>(dtype: D, size: number): TypedArrayFor<D>;
export function newArray(dtype: DType, size: number): AnyTypedArray {
  const spare = recycled[dtype].get(size)?.pop();
  if (!spare) return allocate(dtype, size);
  recycledBytes -= spare.byteLength;
  return spare.fill(0);
}

/** Offers a freed array for reuse; nothing else may hold it. */
function recycle(data: AnyTypedArray): void {
  if (data.length > RECYCLE_MAX_ELEMENTS || recycledBytes + data.byteLength > RECYCLE_MAX_BYTES) return;
  const bucket = recycled[dtypeOfArray(data)];
  const list = bucket.get(data.length);
  if (list) list.push(data);
  else bucket.set(data.length, [data]);
  recycledBytes += data.byteLength;
}

/** The dtype a host array holds; each dtype has its own array class. */
function dtypeOfArray(data: AnyTypedArray): DType {
  return data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'bool';
}

/** A host buffer; `data` throws once freed so that use-after-free in core fails loudly. */
export class CpuStorage implements Storage {
  readonly size: number;
  readonly dtype: DType;
  #data: AnyTypedArray | undefined;

  /** Wraps `data` (which becomes owned by the storage). */
  constructor(data: AnyTypedArray) {
    this.size = data.length;
    this.dtype = dtypeOfArray(data);
    this.#data = data;
  }

  /** The live typed array. */
  get data(): AnyTypedArray {
    if (this.#data === undefined) throw new Error('cpu-js: storage used after free');
    return this.#data;
  }

  /** Drops the buffer (recycling it); returns its byte length. */
  release(): number {
    const data = this.#data;
    if (data === undefined) throw new Error('cpu-js: storage freed twice');
    this.#data = undefined;
    recycle(data);
    return data.byteLength;
  }
}

/** The CpuStorage behind a core-facing Storage (which must come from this backend). */
export function cpuStorage(storage: Storage): CpuStorage {
  if (!(storage instanceof CpuStorage)) throw new Error('cpu-js: storage belongs to another backend');
  return storage;
}

/** The typed array a view reads from or writes to. */
export function dataOf(view: View): AnyTypedArray {
  return cpuStorage(view.storage).data;
}

/** Owns every live storage's accounting: bytes and buffer count. */
export class StoragePool {
  #bytes = 0;
  #buffers = 0;

  /** Turns a freshly computed array into a tracked storage of the array's dtype. */
  adopt(data: AnyTypedArray): CpuStorage {
    this.#bytes += data.byteLength;
    this.#buffers++;
    return new CpuStorage(data);
  }

  /** A new zeroed storage. */
  alloc(size: number, dtype: DType): CpuStorage {
    return this.adopt(newArray(dtype, size));
  }

  /** A new storage holding a copy of `data`. */
  upload(data: AnyTypedArray, dtype: DType): CpuStorage {
    const copy = newArray(dtype, data.length);
    copy.set(data);
    return this.adopt(copy);
  }

  /** Releases a storage; throws on a double free. */
  free(storage: Storage): void {
    this.#bytes -= cpuStorage(storage).release();
    this.#buffers--;
  }

  /** Current totals. */
  memory(): BackendMemory {
    return { bytes: this.#bytes, buffers: this.#buffers };
  }
}
