import { BindingCache } from './bindings.ts';
import { kernelLayout, PARAM_WINDOW_BYTES } from './kernel-layout.ts';
import { BufferPool, type Region, Usage } from './pool.ts';

/** Dispatches encoded before a submit is forced; reads and `sync()` submit earlier. */
const DISPATCHES_PER_SUBMIT = 64;
/**
 * Bytes of the ring that the parameters of one submit's dispatches go to, written once before the
 * submit; each dispatch sees its own words through a dynamic offset (see kernel-layout.ts).
 */
const PARAM_RING_BYTES = 64 << 10;
/** GPUBufferUsage.UNIFORM. */
const UNIFORM = 0x0040;
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
  readonly bindings: BindingCache;
  readonly stats: RuntimeStats = { dispatches: 0, submits: 0 };
  readonly #pipelines = new Map<string, { readonly pipeline: GPUComputePipeline; readonly bindings: readonly number[] }>();
  readonly #paramRing: GPUBuffer;
  readonly #paramWords = new Uint32Array(PARAM_RING_BYTES / 4);
  readonly #paramAlign: number;
  #paramBytes = 0;
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
    this.#paramRing = device.createBuffer({ size: PARAM_RING_BYTES + PARAM_WINDOW_BYTES, usage: UNIFORM | Usage.COPY_DST });
    this.#paramAlign = device.limits.minUniformBufferOffsetAlignment;
    this.bindings = new BindingCache(device, this.#paramRing, PARAM_WINDOW_BYTES);
    this.pool.onDestroy = (buffer) => this.bindings.forgetBuffer(buffer);
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

  /** The pipeline of `kernel` where each data binding in `aliases` reads an earlier one's tensor. */
  #pipeline(op: string, kernel: Kernel, aliases: ReadonlyMap<number, number>): { readonly pipeline: GPUComputePipeline; readonly bindings: readonly number[] } {
    let key = kernel.key;
    for (const [binding, target] of aliases) key += `#${binding}=${target}`;
    let compiled = this.#pipelines.get(key);
    if (!compiled) {
      const { source, bindings } = kernelLayout(kernel.source(), aliases);
      this.device.pushErrorScope('validation');
      const module = this.device.createShaderModule({ label: kernel.key, code: source });
      const layout = this.bindings.pipelineLayout(bindings);
      const pipeline = this.device.createComputePipeline({ label: kernel.key, layout, compute: { module, entryPoint: 'main' } });
      void this.device.popErrorScope().then(async (error) => {
        if (!error) return;
        const { messages } = await module.getCompilationInfo();
        const detail = messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
        this.#fail(new Error(`${op}(): shader ${kernel.key} does not compile: ${detail || error.message}`));
      });
      compiled = { pipeline, bindings };
      this.#pipelines.set(key, compiled);
    }
    return compiled;
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
   * Encodes one dispatch of `kernel` for `op`. Binding 0 holds `params` (read as the u32 array `p`);
   * `regions` follow in binding order.
   */
  dispatch(op: string, kernel: Kernel, params: Uint32Array, regions: readonly Region[], groups: readonly [number, number, number]): void {
    this.check(op);
    const aliases = new Map<number, number>();
    const distinct: Region[] = [];
    regions.forEach((region, i) => {
      const first = regions.indexOf(region);
      if (first < i) aliases.set(i + 1, first + 1);
      else distinct.push(region);
    });
    const { pipeline, bindings } = this.#pipeline(op, kernel, aliases);
    if (distinct.length !== bindings.length) throw new Error(`${op}(): webgpu: kernel ${kernel.key} binds ${bindings.length + aliases.size} buffers, given ${regions.length}`);
    if (params.byteLength > PARAM_WINDOW_BYTES) throw new Error(`${op}(): webgpu: ${params.byteLength} bytes of kernel parameters exceed ${PARAM_WINDOW_BYTES}`);
    if (this.#paramBytes + params.byteLength > PARAM_RING_BYTES) this.flush();
    const offset = this.#paramBytes;
    this.#paramWords.set(params, offset / 4);
    this.#paramBytes = Math.ceil((offset + params.byteLength) / this.#paramAlign) * this.#paramAlign;
    const pass = this.#computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindings.group(bindings, distinct), [offset, ...distinct.map((region) => region.offset)]);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.stats.dispatches++;
    this.#batchOps.add(op);
    if (++this.#queued >= DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Writes host bytes into `region` (which no unsubmitted command uses: it is fresh from the pool). */
  write(region: Region, data: ArrayBufferView): void {
    this.device.queue.writeBuffer(region.buffer, region.offset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Submits everything encoded so far. */
  flush(): void {
    if (!this.#encoder) return;
    this.#pass?.end();
    this.#pass = undefined;
    const ops = [...this.#batchOps].join(', ');
    // Queued writes run before the submit that follows them: the batch reads these parameters.
    if (this.#paramBytes > 0) this.device.queue.writeBuffer(this.#paramRing, 0, this.#paramWords.buffer, 0, this.#paramBytes);
    this.#paramBytes = 0;
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
   * Copies the first `bytes` bytes of `region` to the host. The copy is encoded now, so it sees
   * exactly the work enqueued before this call.
   */
  async read(op: string, region: Region, bytes: number): Promise<ArrayBuffer> {
    this.check(op);
    const staging = this.device.createBuffer({ size: bytes, usage: Usage.MAP_READ | Usage.COPY_DST });
    this.#copyEncoder().copyBufferToBuffer(region.buffer, region.offset, staging, 0, bytes);
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
