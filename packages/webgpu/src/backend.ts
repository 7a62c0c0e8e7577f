import type { AnyTypedArray, Backend, DType } from '@flint/core';
import { KernelContext } from './context.ts';
import { cast, copy, fill, unary } from './kernels/elementwise.ts';
import { binaryOperands, whereOperands } from './kernels/operands.ts';
import { fusedKernels } from './kernels/fused.ts';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './kernels/conv.ts';
import { gather, scatterAdd } from './kernels/indexing.ts';
import { matmul } from './kernels/matmul.ts';
import { maxPool2d } from './kernels/pool.ts';
import { cumsum, reduce } from './kernels/reduce.ts';
import { sort } from './kernels/sort.ts';
import { GpuRuntime, type RuntimeStats } from './runtime.ts';
import { gpuStorage, Storages } from './storage.ts';
import { requestDevice } from './device.ts';

/** The webgpu backend, plus counters of how its work reached the GPU. */
export interface WebGpuBackend extends Backend {
  /** Dispatches and submits so far (for benchmarks). */
  readonly stats: Readonly<RuntimeStats>;
  /** The adapter's description, e.g. `llvmpipe` under lavapipe. */
  readonly adapterName: string;
}

/** `start + i * step` computed in float64 and rounded once, as cpu-js does; built on the host. */
function arangeHost(size: number, start: number, step: number, dtype: DType): AnyTypedArray {
  const out = dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = start + i * step;
  return out;
}

/**
 * What the backend needs of a WebGPU entry point, stated structurally so that flint's public types
 * do not depend on the `GPU` declarations of @webgpu/types or Dawn (which clash when an app has
 * both): `navigator.gpu` and Dawn's `create([])` both are one.
 */
export interface GpuEntryPoint {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<unknown>;
}

/**
 * Starts the webgpu backend on `entry` (`navigator.gpu` in browsers; `create([])` from the `webgpu`
 * package in Node). Throws when no adapter is available rather than falling back to a software
 * or null adapter.
 * @example
 * import { create, globals } from 'webgpu';
 * Object.assign(globalThis, globals);
 * const backend = await createWebGpuBackend(create([]));
 */
export async function createWebGpuBackend(entry: GpuEntryPoint): Promise<WebGpuBackend> {
  const gpu = entry as GPU;
  const { device, adapter, adapterName } = await requestDevice(gpu);
  const rt = new GpuRuntime(device, [gpu, adapter]);
  const storages = new Storages(rt);
  const ctx = new KernelContext(rt, storages);
  return {
    name: 'webgpu',
    stats: rt.stats,
    adapterName,

    alloc: (size, dtype) => storages.alloc(size, dtype),
    upload: (data, dtype) => storages.upload(data, dtype),
    read: (storage) => storages.read(gpuStorage(storage)),
    readSync: undefined,
    free: (storage) => storages.free(gpuStorage(storage)),
    memory: () => storages.memory(),
    sync: () => rt.sync(),

    fill: (size, value, dtype) => fill(ctx, size, value, dtype),
    arange: (size, start, step, dtype) => storages.upload(arangeHost(size, start, step, dtype), dtype),

    unary: (op, x) => unary(ctx, op, x),
    binary: (op, a, b, into) => binaryOperands(ctx, op, a, b, into),
    where: (cond, a, b) => whereOperands(ctx, cond, a, b),
    cast: (x, dtype) => cast(ctx, x, dtype),

    copy: (src, dst) => copy(ctx, src, dst),

    reduce: (op, x, axes) => reduce(ctx, op, x, axes),
    cumsum: (x, axis) => cumsum(ctx, x, axis),
    sort: (x, descending) => sort(ctx, x, descending),

    gather: (x, axis, index) => gather(ctx, x, axis, index),
    scatterAdd: (base, axis, index, src) => scatterAdd(ctx, base, axis, index, src),

    matmul: (a, b) => matmul(ctx, a, b),

    conv2d: (x, weight, params) => conv2d(ctx, x, weight, params),
    conv2dBackwardInput: (dy, weight, xShape, params) => conv2dBackwardInput(ctx, dy, weight, xShape, params),
    conv2dBackwardWeight: (x, dy, weightShape, params) => conv2dBackwardWeight(ctx, x, dy, weightShape, params),
    maxPool2d: (x, params) => maxPool2d(ctx, x, params),

    fused: fusedKernels(ctx),
  };
}
