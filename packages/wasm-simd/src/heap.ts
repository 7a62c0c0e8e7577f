import type { BackendMemory, DType, Storage } from '@flint/core';
import { elementBytes } from './codes.ts';
import type { WasmMemory } from './wasm-api.ts';

const PAGE = 65536;
/** wasm32's largest memory: 65536 pages, 4 GiB. */
export const MAX_PAGES = 65536;

/**
 * Thrown when the memory cannot grow to serve a request; the backend names the op it was serving
 * ({@link outOfMemoryMessage}).
 */
export class HeapExhausted extends Error {
  /** Bytes the failed request asked for, and tensor bytes and buffers live when it failed. */
  readonly requested: number;
  readonly live: BackendMemory;
  readonly limit: number;

  constructor(requested: number, live: BackendMemory, limit: number) {
    super(outOfMemoryMessage('alloc', requested, live, limit));
    this.name = 'HeapExhausted';
    this.requested = requested;
    this.live = live;
    this.limit = limit;
  }
}

/** `bytes` in the largest binary unit that keeps it at least 1, to two decimals. */
function inUnits(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (u < units.length - 1 && bytes >= 1024 ** (u + 1)) u++;
  return u === 0 ? `${bytes} bytes` : `${(bytes / 1024 ** u).toFixed(2)} ${units[u]}`;
}

/** What a user is told when the memory is exhausted while serving `op`. */
export function outOfMemoryMessage(op: string, requested: number, live: BackendMemory, limit: number): string {
  return (
    `${op}(): wasm-simd is out of memory: asked for ${requested} bytes (${inUnits(requested)}) with ` +
    `${live.bytes} bytes (${inUnits(live.bytes)}) live in ${live.buffers} tensor buffers (as flint.memory() reports them), ` +
    `and the memory cannot grow past ${inUnits(limit)}. The usual cause is a training loop that keeps every step's ` +
    `tensors: wrap each step in flint.tidy(() => ...) or dispose() tensors no longer needed.`
  );
}
/** Blocks are 16-byte aligned so that v128 loads of a contiguous tensor never straddle lines badly. */
const ALIGN = 16;

/**
 * The block size serving a request: 16-byte steps up to 256 bytes, then four classes per power of
 * two (at most 25% slack), so freed blocks of similar tensors are found in one free list.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const quarter = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / quarter) * quarter;
}

/** A tensor buffer: `size` elements at byte address `ptr` of the backend's wasm memory. */
export class WasmStorage implements Storage {
  readonly size: number;
  readonly dtype: DType;
  readonly #ptr: number;
  readonly capacity: number;
  #live = true;

  constructor(size: number, dtype: DType, ptr: number, capacity: number) {
    this.size = size;
    this.dtype = dtype;
    this.#ptr = ptr;
    this.capacity = capacity;
  }

  /** Byte address of element 0; throws once freed so that use-after-free fails loudly. */
  get ptr(): number {
    if (!this.#live) throw new Error('wasm-simd: storage used after free');
    return this.#ptr;
  }

  /** Marks the storage freed; throws on a second call. */
  release(): number {
    if (!this.#live) throw new Error('wasm-simd: storage freed twice');
    this.#live = false;
    return this.#ptr;
  }
}

/** The WasmStorage behind a core-facing Storage (which must come from this backend). */
export function wasmStorage(storage: Storage): WasmStorage {
  if (!(storage instanceof WasmStorage)) throw new Error('wasm-simd: storage belongs to another backend');
  return storage;
}

/**
 * A size-bucketed allocator over one wasm memory: freed blocks go to a free list per size class,
 * new ones come from a bump pointer, and the memory grows when the bump pointer reaches its end.
 * Growth detaches the old ArrayBuffer, so typed-array views are re-created on demand.
 */
export class Heap {
  readonly memory: WasmMemory;
  #top: number;
  readonly #free = new Map<number, number[]>();
  #bytes = 0;
  #buffers = 0;
  #buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  #u8: Uint8Array = new Uint8Array(0);
  #i32: Int32Array = new Int32Array(0);
  #f32: Float32Array = new Float32Array(0);

  readonly #maxPages: number;

  /** An allocator for `memory` (which grows to at most `maxPages` pages) handing out addresses from `base` up. */
  constructor(memory: WasmMemory, base: number, maxPages = MAX_PAGES) {
    this.memory = memory;
    this.#top = Math.ceil(base / ALIGN) * ALIGN;
    this.#maxPages = maxPages;
  }

  /** A block of at least `bytes` bytes (untracked: tensors go through {@link alloc}). */
  block(bytes: number): { ptr: number; capacity: number } {
    const capacity = sizeClass(bytes);
    const ptr = this.#free.get(capacity)?.pop() ?? this.#bump(capacity);
    return { ptr, capacity };
  }

  /** Returns a block to its free list. */
  release(ptr: number, capacity: number): void {
    const list = this.#free.get(capacity);
    if (list) list.push(ptr);
    else this.#free.set(capacity, [ptr]);
  }

  #bump(capacity: number): number {
    const ptr = this.#top;
    const end = ptr + capacity;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      const room = this.#maxPages - have / PAGE;
      if (pages > room) throw new HeapExhausted(capacity, this.stats(), this.#maxPages * PAGE);
      // Grow by at least a quarter of the current size, so a growing model does not grow per
      // tensor, but never past the maximum: the last quarter must still be reachable.
      try {
        this.memory.grow(Math.min(room, Math.max(pages, Math.ceil(have / PAGE / 4))));
      } catch {
        // The engine may refuse to reserve memory below the maximum.
        try {
          this.memory.grow(pages);
        } catch {
          throw new HeapExhausted(capacity, this.stats(), this.memory.buffer.byteLength);
        }
      }
    }
    this.#top = end;
    return ptr;
  }

  /** A tracked tensor storage of `size` elements of `dtype`; contents unspecified. */
  alloc(size: number, dtype: DType): WasmStorage {
    const bytes = size * elementBytes[dtype];
    const { ptr, capacity } = this.block(bytes);
    this.#bytes += bytes;
    this.#buffers++;
    return new WasmStorage(size, dtype, ptr, capacity);
  }

  /** Frees a tracked storage; throws on a double free. */
  free(storage: Storage): void {
    const s = wasmStorage(storage);
    this.release(s.release(), s.capacity);
    this.#bytes -= s.size * elementBytes[s.dtype];
    this.#buffers--;
  }

  /** Live tensor bytes and buffers. */
  stats(): BackendMemory {
    return { bytes: this.#bytes, buffers: this.#buffers };
  }

  #refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.#u8 = new Uint8Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#f32 = new Float32Array(buffer);
  }

  /** Views over the whole memory, current after any growth. */
  get u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }
  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }
}

/** Scratch areas that grow and are reused across kernel calls, one per purpose. */
export class Scratch {
  readonly #heap: Heap;
  #ptr = 0;
  #capacity = 0;

  constructor(heap: Heap) {
    this.#heap = heap;
  }

  /** Byte address of at least `bytes` bytes; contents are whatever the last user left. */
  get(bytes: number): number {
    if (bytes > this.#capacity) {
      if (this.#capacity > 0) this.#heap.release(this.#ptr, this.#capacity);
      const { ptr, capacity } = this.#heap.block(bytes);
      this.#ptr = ptr;
      this.#capacity = capacity;
    }
    return this.#ptr;
  }
}
