/**
 * Bind groups made once and reused by every dispatch that binds the same buffers.
 *
 * A GPUBindGroup cannot be destroyed: it is freed only after JavaScript's garbage collector has
 * collected its wrapper and the host has then run the wrapper's finalizer, which Node does only
 * when the event loop turns. A bind group made per dispatch therefore piles up in a loop that never
 * awaits, each one holding driver memory (a memory mapping of its own under lavapipe), until the
 * process runs out of mappings and the driver crashes.
 *
 * So every binding has a dynamic offset: a bind group names a window of a buffer's size, and each
 * dispatch says where in the buffer its region starts. Small tensors share slabs (see pool.ts), so
 * few (buffer, window) combinations exist and a steady loop makes no bind group at all.
 */
import type { Region } from './pool.ts';

/** Bind groups kept at most; beyond it the least recently used go (a loop needs far fewer). */
const MAX_BIND_GROUPS = 4096;

/** GPUShaderStage.COMPUTE, spelled out so nothing needs the global. */
const COMPUTE = 4;

interface Cached {
  readonly group: GPUBindGroup;
  readonly buffers: readonly GPUBuffer[];
}

export class BindingCache {
  readonly #device: GPUDevice;
  /** The parameter ring: binding 0 of every group, a uniform window of `#paramWindow` bytes. */
  readonly #params: GPUBuffer;
  readonly #paramWindow: number;
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  readonly #pipelineLayouts = new Map<string, GPUPipelineLayout>();
  readonly #groups = new Map<string, Cached>();
  /** The cache keys that name each buffer, to forget them when the buffer is destroyed. */
  readonly #keysOf = new Map<GPUBuffer, Set<string>>();
  readonly #ids = new WeakMap<GPUBuffer, number>();
  #nextId = 0;

  constructor(device: GPUDevice, params: GPUBuffer, paramWindow: number) {
    this.#device = device;
    this.#params = params;
    this.#paramWindow = paramWindow;
  }

  /** Bind groups held now. */
  get size(): number {
    return this.#groups.size;
  }

  /** The pipeline layout of kernels with data at `bindings` (after the parameters at 0). */
  pipelineLayout(bindings: readonly number[]): GPUPipelineLayout {
    const key = bindings.join();
    let layout = this.#pipelineLayouts.get(key);
    if (!layout) {
      layout = this.#device.createPipelineLayout({ bindGroupLayouts: [this.#layout(bindings)] });
      this.#pipelineLayouts.set(key, layout);
    }
    return layout;
  }

  #layout(bindings: readonly number[]): GPUBindGroupLayout {
    const key = bindings.join();
    let layout = this.#layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } }];
      for (const binding of bindings) entries.push({ binding, visibility: COMPUTE, buffer: { type: 'storage', hasDynamicOffset: true } });
      layout = this.#device.createBindGroupLayout({ entries });
      this.#layouts.set(key, layout);
    }
    return layout;
  }

  #id(buffer: GPUBuffer): number {
    let id = this.#ids.get(buffer);
    if (id === undefined) this.#ids.set(buffer, (id = this.#nextId++));
    return id;
  }

  /**
   * The bind group of the parameter ring and then, at `bindings`, a window of each region's size
   * on its buffer. Bind it with the regions' offsets.
   */
  group(bindings: readonly number[], regions: readonly Region[]): GPUBindGroup {
    let key = bindings.join();
    for (const region of regions) key += `|${this.#id(region.buffer)}:${region.size}`;
    const cached = this.#groups.get(key);
    if (cached) {
      // Re-inserted so that the map's order stays least recently used first.
      this.#groups.delete(key);
      this.#groups.set(key, cached);
      return cached.group;
    }
    const group = this.#device.createBindGroup({
      layout: this.#layout(bindings),
      entries: [
        { binding: 0, resource: { buffer: this.#params, offset: 0, size: this.#paramWindow } },
        ...regions.map((region, i) => ({ binding: bindings[i]!, resource: { buffer: region.buffer, offset: 0, size: region.size } })),
      ],
    });
    const buffers = regions.map((region) => region.buffer);
    this.#groups.set(key, { group, buffers });
    for (const buffer of buffers) {
      let keys = this.#keysOf.get(buffer);
      if (!keys) this.#keysOf.set(buffer, (keys = new Set()));
      keys.add(key);
    }
    for (const [oldest] of this.#groups) {
      if (this.#groups.size <= MAX_BIND_GROUPS) break;
      this.#forget(oldest);
    }
    return group;
  }

  /** A destroyed buffer can no longer be bound: the bind groups naming it go. */
  forgetBuffer(buffer: GPUBuffer): void {
    for (const key of [...(this.#keysOf.get(buffer) ?? [])]) this.#forget(key);
  }

  #forget(key: string): void {
    const cached = this.#groups.get(key);
    if (!cached) return;
    this.#groups.delete(key);
    for (const buffer of cached.buffers) {
      const keys = this.#keysOf.get(buffer);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysOf.delete(buffer);
    }
  }
}
