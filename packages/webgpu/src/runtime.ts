import { BufferPool, Usage } from './pool.ts';

/** Dispatches encoded before a submit is forced; reads and `sync()` submit earlier. */
const DISPATCHES_PER_SUBMIT = 64;
/** Threads per workgroup of the one-dimensional kernels. */
export const WORKGROUP = 256;

/** Counters a benchmark can read to see how work reaches the queue. */
export interface RuntimeStats {
  /** Compute dispatches encoded so far. */
  dispatches: number;
  /** Command buffers submitted so far. */
  submits: number;
}

/** A compiled kernel: WGSL source made once per `key`. */
export interface Kernel {
  /** Identifies the shader: equal keys must mean equal source. */
  readonly key: string;
  /** Builds the WGSL source (called once per key). */
  readonly source: () => string;
}

/**
 * One GPU device and the machinery around it: pipelines cached by shader key, a buffer pool, and
 * one open command encoder that collects many dispatches per submit. The device reports errors
 * asynchronously: a validation error is thrown once, from the next operation or read; a lost
 * device fails every operation after it. Both name the op that meets them.
 */
export class GpuRuntime {
  /**
   * The GPU object and adapter the device came from. Dawn in Node frees its instance when the GPU
   * object is garbage-collected, taking the device down with it, so the runtime keeps them alive.
   */
  readonly owners: readonly [GPU, GPUAdapter];
  readonly device: GPUDevice;
  readonly pool: BufferPool;
  readonly stats: RuntimeStats = { dispatches: 0, submits: 0 };
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #maxGroups: number;
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  #queued = 0;
  #batchOps = new Set<string>();
  #lost: Error | undefined;
  #error: Error | undefined;

  constructor(device: GPUDevice, owners: readonly [GPU, GPUAdapter]) {
    this.device = device;
    this.owners = owners;
    this.pool = new BufferPool(device);
    this.#maxGroups = device.limits.maxComputeWorkgroupsPerDimension;
    void device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.#lost = new Error(`the device was lost (${info.reason}): ${info.message}`);
    });
    device.addEventListener('uncapturederror', (event) => {
      this.#fail(new Error((event as GPUUncapturedErrorEvent).error.message));
    });
  }

  /** Keeps the first error reported since the last check (later ones usually follow from it). */
  #fail(error: Error): void {
    this.#error ??= error;
  }

  /** Throws a lost device, or (once) an error the device reported since the last check, naming `op`. */
  check(op: string): void {
    if (this.#lost) throw new Error(`${op}(): webgpu: ${this.#lost.message}`);
    const error = this.#error;
    if (!error) return;
    this.#error = undefined;
    throw new Error(`${op}(): webgpu reported an error in earlier work: ${error.message}`);
  }

  #pipeline(op: string, kernel: Kernel): GPUComputePipeline {
    let pipeline = this.#pipelines.get(kernel.key);
    if (!pipeline) {
      this.device.pushErrorScope('validation');
      const module = this.device.createShaderModule({ label: kernel.key, code: kernel.source() });
      pipeline = this.device.createComputePipeline({ label: kernel.key, layout: 'auto', compute: { module, entryPoint: 'main' } });
      void this.device.popErrorScope().then(async (error) => {
        if (!error) return;
        const { messages } = await module.getCompilationInfo();
        const detail = messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
        this.#fail(new Error(`${op}(): shader ${kernel.key} does not compile: ${detail || error.message}`));
      });
      this.#pipelines.set(kernel.key, pipeline);
    }
    return pipeline;
  }

  #computePass(): GPUComputePassEncoder {
    this.#encoder ??= this.device.createCommandEncoder();
    this.#pass ??= this.#encoder.beginComputePass();
    return this.#pass;
  }

  #copyEncoder(): GPUCommandEncoder {
    this.#pass?.end();
    this.#pass = undefined;
    this.#encoder ??= this.device.createCommandEncoder();
    return this.#encoder;
  }

  /** Workgroup counts covering `groups` workgroups within the per-dimension limit. */
  grid(groups: number): [number, number] {
    const x = Math.max(1, Math.min(groups, this.#maxGroups));
    return [x, Math.ceil(groups / x)];
  }

  /**
   * Encodes one dispatch of `kernel` for `op`. Binding 0 is a read-only u32 buffer holding
   * `params`; `buffers` follow in binding order.
   */
  dispatch(op: string, kernel: Kernel, params: Uint32Array, buffers: readonly GPUBuffer[], groups: readonly [number, number, number]): void {
    this.check(op);
    const pipeline = this.#pipeline(op, kernel);
    const paramBuffer = this.pool.acquire(params.byteLength);
    this.device.queue.writeBuffer(paramBuffer, 0, params.buffer, params.byteOffset, params.byteLength);
    const bindGroup = this.device.createBindGroup({
      label: op,
      layout: pipeline.getBindGroupLayout(0),
      entries: [paramBuffer, ...buffers].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pass = this.#computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.pool.release(paramBuffer);
    this.stats.dispatches++;
    this.#batchOps.add(op);
    if (++this.#queued >= DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Writes host bytes into `buffer` (which no unsubmitted command uses: it is fresh from the pool). */
  write(buffer: GPUBuffer, data: ArrayBufferView): void {
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Submits everything encoded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#pass?.end();
    this.#pass = undefined;
    const ops = [...this.#batchOps].join(', ');
    this.device.pushErrorScope('validation');
    this.device.queue.submit([this.#encoder.finish()]);
    void this.device.popErrorScope().then((error) => {
      if (error) this.#fail(new Error(`a batch of ${ops || 'copies'} failed validation: ${error.message}`));
    });
    this.#encoder = undefined;
    this.#queued = 0;
    this.#batchOps = new Set();
    this.stats.submits++;
    this.pool.submitted();
  }

  /**
   * Copies the first `bytes` bytes of `buffer` to the host. The copy is encoded now, so it sees
   * exactly the work enqueued before this call.
   */
  async read(op: string, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.check(op);
    const staging = this.device.createBuffer({ size: bytes, usage: Usage.MAP_READ | Usage.COPY_DST });
    this.#copyEncoder().copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(1 /* GPUMapMode.READ */);
      this.check(op);
      const bytesRead = staging.getMappedRange().slice(0);
      staging.unmap();
      return bytesRead;
    } finally {
      staging.destroy();
    }
  }

  /** Resolves when the queue has finished everything submitted; throws a reported failure. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.check('sync');
  }
}
