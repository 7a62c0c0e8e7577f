/**
 * Size-bucketed GPU buffers: powers of two of at least {@link MIN_BYTES} bytes up to 1 MiB, whole
 * MiB beyond, so a training step that frees and reallocates the same shapes reuses the same buffers.
 *
 * A released buffer may still be named by commands that are encoded but not yet submitted; writing
 * it through `queue.writeBuffer` before that submit would overtake those commands. So releases wait
 * in `pending` until {@link BufferPool.submitted} says the commands went to the queue.
 */
const MIN_BYTES = 256;
/** Free buffers kept for reuse beyond this many bytes are destroyed instead. */
const MAX_FREE_BYTES = 512 << 20;

/** GPUBufferUsage values (fixed by the spec), spelled out so nothing needs the global before a device exists. */
export const Usage = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, STORAGE: 0x0080 } as const;
const USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;

/** Above this, buckets are multiples of it rather than powers of two, which would waste up to half. */
const LARGE_STEP = 1 << 20;

/** The bucket (buffer size in bytes) that holds `bytes`. */
export function bucketBytes(bytes: number): number {
  if (bytes > LARGE_STEP) return Math.ceil(bytes / LARGE_STEP) * LARGE_STEP;
  return Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));
}

export class BufferPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();
  #pending: GPUBuffer[] = [];
  #freeBytes = 0;

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  /** A storage buffer of at least `bytes` bytes; contents unspecified. */
  acquire(bytes: number): GPUBuffer {
    const size = bucketBytes(bytes);
    const spare = this.#free.get(size)?.pop();
    if (spare) {
      this.#freeBytes -= size;
      return spare;
    }
    return this.#device.createBuffer({ size, usage: USAGE });
  }

  /** Hands a buffer back; it becomes reusable once the commands encoded so far are submitted. */
  release(buffer: GPUBuffer): void {
    this.#pending.push(buffer);
  }

  /** Called after each submit: buffers released before it are now safe to reuse. */
  submitted(): void {
    for (const buffer of this.#pending) {
      if (this.#freeBytes + buffer.size > MAX_FREE_BYTES) {
        buffer.destroy();
        continue;
      }
      const list = this.#free.get(buffer.size);
      if (list) list.push(buffer);
      else this.#free.set(buffer.size, [buffer]);
      this.#freeBytes += buffer.size;
    }
    this.#pending = [];
  }
}
