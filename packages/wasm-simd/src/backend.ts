import type { AnyTypedArray, Backend, DType, Storage } from '@flint/core';
import { Heap, HeapExhausted, outOfMemoryMessage } from './heap.ts';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './kernels/conv.ts';
import { arange, binary, cast, copy, fill, unary, where } from './kernels/elementwise.ts';
import { fusedKernels } from './kernels/fused.ts';
import { gather, scatterAdd } from './kernels/indexing.ts';
import { matmul } from './kernels/matmul.ts';
import { maxPool2d } from './kernels/pool.ts';
import { cumsum, reduce } from './kernels/reduce.ts';
import { sort } from './kernels/sort.ts';
import { loadKernels, type WasmFeatures } from './module.ts';
import { Runtime } from './runtime.ts';
import { ThreadPool } from './threads.ts';
import { warmUp } from './warmup.ts';

/** What a started backend runs with. */
export interface WasmInfo extends WasmFeatures {
  /** Threads a large matmul or convolution is split over; 1 when single-threaded. */
  readonly threads: number;
}

/** Thread pools of the started backends, and the count {@link setNumThreads} asked for. */
const pools: ThreadPool[] = [];
let requestedThreads: number | undefined;
let features: WasmFeatures = { simd: false, relaxedSimd: false };

/**
 * What the wasm-simd backend runs with: SIMD, relaxed SIMD (fused multiply-add), and the thread
 * count. Before a backend has started, simd is false.
 */
export function wasmInfo(): WasmInfo {
  return { ...features, threads: pools[0]?.threads ?? 1 };
}

/**
 * Sets how many threads large matmuls and convolutions are split over (the calling thread
 * included); 1 turns threading off. Has no effect where threads are unavailable (no shared
 * memory, or no workers): see the package README.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`wasm-simd: setNumThreads expects a positive integer, got ${n}`);
  requestedThreads = n;
  for (const pool of pools) pool.setThreads(n);
}

/** The typed-array window of the memory holding `size` elements of `dtype` at byte address `ptr`. */
function hostView(heap: Heap, dtype: DType, ptr: number, size: number): AnyTypedArray {
  switch (dtype) {
    case 'float32': return heap.f32.subarray(ptr >>> 2, (ptr >>> 2) + size);
    case 'int32': return heap.i32.subarray(ptr >>> 2, (ptr >>> 2) + size);
    case 'bool': return heap.u8.subarray(ptr, ptr + size);
  }
}

/**
 * `fn` with a memory exhaustion reworded to name the op it served (`name`, with the unary, binary or
 * reduction op when the first argument names one), so that a user sees which call ran out.
 */
function namingOp<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  return ((...args: Parameters<F>) => {
    try {
      return fn(...args);
    } catch (error) {
      if (!(error instanceof HeapExhausted)) throw error;
      const op = typeof args[0] === 'string' ? `${name}(${args[0]})` : name;
      throw new Error(outOfMemoryMessage(op, error.requested, error.live, error.limit), { cause: error });
    }
  }) as F;
}

/** `ops` with every function wrapped by {@link namingOp}, nested groups (the fused kernels) included. */
function namingOps<T extends object>(ops: T, prefix = ''): T {
  const named: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ops)) {
    if (typeof value === 'function') named[key] = namingOp(prefix + key, value as (...args: never[]) => unknown);
    else if (value && typeof value === 'object') named[key] = namingOps(value, `${prefix}${key}.`);
    else named[key] = value;
  }
  return named as T;
}

/**
 * The wasm-simd backend: tensors live in one WebAssembly memory and AssemblyScript SIMD kernels
 * compute on them in place; only upload and read copy across the boundary.
 */
export async function createWasmBackend(): Promise<Backend> {
  const loaded = await loadKernels();
  const { kernels } = loaded;
  const heap = new Heap(loaded.memory, kernels.heapBase());
  const pool = await ThreadPool.create(loaded, heap, requestedThreads);
  if (pool) pools.push(pool);
  const rt = new Runtime(heap, loaded, pool);
  const readCopy = (storage: Storage) => hostView(heap, storage.dtype, rt.storage(storage).ptr, storage.size).slice();
  const backend: Backend = namingOps<Backend>({
    name: 'wasm-simd',

    alloc: (size, dtype) => heap.alloc(size, dtype),
    upload: (data, dtype) => {
      const s = heap.alloc(data.length, dtype);
      hostView(heap, dtype, s.ptr, data.length).set(data);
      return s;
    },
    read: async (storage) => readCopy(storage),
    readSync: readCopy,
    free: (storage) => heap.free(storage),
    memory: () => heap.stats(),
    sync: async () => {},

    fill: (size, value, dtype) => fill(rt, size, value, dtype),
    arange: (size, start, step, dtype) => arange(rt, size, start, step, dtype),

    unary: (op, x) => unary(rt, op, x),
    binary: (op, a, b, into) => binary(rt, op, a, b, into),
    where: (cond, a, b) => where(rt, cond, a, b),
    cast: (x, dtype) => cast(rt, x, dtype),

    copy: (src, dst) => copy(rt, src, dst),

    reduce: (op, x, axes) => reduce(rt, op, x, axes),
    cumsum: (x, axis) => cumsum(rt, x, axis),

    sort: (x, descending) => sort(rt, x, descending, (dtype, ptr, size) => hostView(heap, dtype, ptr, size)),

    gather: (x, axis, index) => gather(rt, x, axis, index),
    scatterAdd: (base, axis, index, src) => scatterAdd(rt, base, axis, index, src),

    matmul: (a, b) => matmul(rt, a, b),

    conv2d: (x, weight, params) => conv2d(rt, x, weight, params),
    conv2dBackwardInput: (dy, weight, xShape, params) => conv2dBackwardInput(rt, dy, weight, xShape, params),
    conv2dBackwardWeight: (x, dy, weightShape, params) => conv2dBackwardWeight(rt, x, dy, weightShape, params),
    maxPool2d: (x, params) => maxPool2d(rt, x, params),

    fused: fusedKernels(rt),
  });
  warmUp(backend);
  features = loaded.features;
  return backend;
}
