/**
 * Size-bucketed GPU memory: powers of two of at least {@link MIN_BYTES} bytes up to 1 MiB, whole
 * MiB beyond, so a training step that frees and reallocates the same shapes reuses the same memory.
 *
 * Buckets up to {@link MAX_SLAB_BUCKET} are carved out of shared slabs of {@link SLAB_BYTES}, so
 * that small tensors, however many come and go, live in a few GPU buffers: the bind groups that
 * name those buffers then recur (see bindings.ts) instead of being made anew for every dispatch.
 * Larger buckets get a buffer each.
 *
 * A released region may still be named by commands that are encoded but not yet submitted; writing
 * it through `queue.writeBuffer` before that submit would overtake those commands. So releases wait
 * in `pending` until {@link BufferPool.submitted} says the commands went to the queue.
 */
const MIN_BYTES = 256;
/** Free dedicated buffers kept for reuse beyond this many bytes are destroyed instead. */
const MAX_FREE_BYTES = 512 << 20;
/** The size of a slab, and the largest bucket carved from slabs (at least 16 regions a slab). */
const SLAB_BYTES = 1 << 20;
const MAX_SLAB_BUCKET = 64 << 10;

/** GPUBufferUsage values (fixed by the spec), spelled out so nothing needs the global before a device exists. */
export const Usage = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, STORAGE: 0x0080 } as const;
const USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;

/** Above this, buckets are multiples of it rather than powers of two, which would waste up to half. */
const LARGE_STEP = 1 << 20;

/** The bucket (region size in bytes) that holds `bytes`. */
export function bucketBytes(bytes: number): number {
  if (bytes > LARGE_STEP) return Math.ceil(bytes / LARGE_STEP) * LARGE_STEP;
  return Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
}

/** `size` bytes at byte `offset` of `buffer` (a multiple of {@link MIN_BYTES}). */
export interface Region {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, Region[]>();
  #pending: Region[] = [];
  /** Bytes of free dedicated buffers (slab regions are kept whatever their number). */
  #freeDedicatedBytes = 0;
  /** Called for each buffer the pool destroys, so that nothing binds it again. */
  onDestroy: (buffer: GPUBuffer) => void = () => {};

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** A region of at least `bytes` bytes, in a storage buffer; contents unspecified. */
  acquire(bytes: number): Region {
    const size = bucketBytes(bytes);
    const spare = this.#free.get(size)?.pop();
    if (spare) {
      if (size > MAX_SLAB_BUCKET) this.#freeDedicatedBytes -= size;
      return spare;
    }
    if (size > MAX_SLAB_BUCKET) return { buffer: this.#device.createBuffer({ size, usage: USAGE }), offset: 0, size };
    const buffer = this.#device.createBuffer({ size: SLAB_BYTES, usage: USAGE });
    const carved: Region[] = [];
    // Handed out from the front of the slab first (the free list is a stack).
    for (let offset = SLAB_BYTES - size; offset > 0; offset -= size) carved.push({ buffer, offset, size });
    this.#freeList(size).push(...carved);
    return { buffer, offset: 0, size };
  }

  /** Hands a region back; it becomes reusable once the commands encoded so far are submitted. */
  release(region: Region): void {
    this.#pending.push(region);
  }

  /** Called after each submit: regions released before it are now safe to reuse. */
  submitted(): void {
    for (const region of this.#pending) {
      if (region.size > MAX_SLAB_BUCKET) {
        if (this.#freeDedicatedBytes + region.size > MAX_FREE_BYTES) {
          this.onDestroy(region.buffer);
          region.buffer.destroy();
          continue;
        }
        this.#freeDedicatedBytes += region.size;
      }
      this.#freeList(region.size).push(region);
    }
    this.#pending = [];
  }

  #freeList(size: number): Region[] {
    let list = this.#free.get(size);
    if (!list) this.#free.set(size, (list = []));
    return list;
  }
}
