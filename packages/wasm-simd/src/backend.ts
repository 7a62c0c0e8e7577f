import type { AnyTypedArray, Backend, DType, Storage } from '@flint/core';
import { Heap } from './heap.ts';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './kernels/conv.ts';
import { arange, binary, cast, copy, fill, unary, where } from './kernels/elementwise.ts';
import { gather, scatterAdd } from './kernels/indexing.ts';
import { matmul } from './kernels/matmul.ts';
import { maxPool2d } from './kernels/pool.ts';
import { cumsum, reduce } from './kernels/reduce.ts';
import { loadKernels, type WasmFeatures } from './module.ts';
import { Runtime } from './runtime.ts';
import { warmUp } from './warmup.ts';

/** Initial memory: 16 MiB; it grows on demand up to 4 GiB. */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = 65536;

/** What the started backend chose; see {@link wasmInfo}. */
let info: WasmFeatures & { readonly threads: number } = { simd: false, relaxedSimd: false, threads: 1 };

/** The features the last started wasm-simd backend uses (threads: worker count, 1 when single-threaded). */
export function wasmInfo(): WasmFeatures & { readonly threads: number } {
  return info;
}

function hostArray(heap: Heap, storage: Storage, ptr: number): AnyTypedArray {
  const { size, dtype } = storage;
  switch (dtype) {
    case 'float32': return heap.f32.slice(ptr >> 2, (ptr >> 2) + size);
    case 'int32': return heap.i32.slice(ptr >> 2, (ptr >> 2) + size);
    case 'bool': return heap.u8.slice(ptr, ptr + size);
  }
}

function hostView(heap: Heap, dtype: DType, ptr: number, size: number): AnyTypedArray {
  switch (dtype) {
    case 'float32': return heap.f32.subarray(ptr >> 2, (ptr >> 2) + size);
    case 'int32': return heap.i32.subarray(ptr >> 2, (ptr >> 2) + size);
    case 'bool': return heap.u8.subarray(ptr, ptr + size);
  }
}

/**
 * The wasm-simd backend: tensors live in one WebAssembly memory and AssemblyScript SIMD kernels
 * compute on them in place; only upload and read copy across the boundary.
 */
export async function createWasmBackend(): Promise<Backend> {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  const { kernels, features } = await loadKernels(memory);
  const heap = new Heap(memory, kernels.heapBase());
  const rt = new Runtime(heap, kernels);
  const readCopy = (storage: Storage) => hostArray(heap, storage, rt.storage(storage).ptr);
  const backend: Backend = {
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
    binary: (op, a, b) => binary(rt, op, a, b),
    where: (cond, a, b) => where(rt, cond, a, b),
    cast: (x, dtype) => cast(rt, x, dtype),

    copy: (src, dst) => copy(rt, src, dst),

    reduce: (op, x, axes) => reduce(rt, op, x, axes),
    cumsum: (x, axis) => cumsum(rt, x, axis),

    gather: (x, axis, index) => gather(rt, x, axis, index),
    scatterAdd: (base, axis, index, src) => scatterAdd(rt, base, axis, index, src),

    matmul: (a, b) => matmul(rt, a, b),

    conv2d: (x, weight, params) => conv2d(rt, x, weight, params),
    conv2dBackwardInput: (dy, weight, xShape, params) => conv2dBackwardInput(rt, dy, weight, xShape, params),
    conv2dBackwardWeight: (x, dy, weightShape, params) => conv2dBackwardWeight(rt, x, dy, weightShape, params),
    maxPool2d: (x, params) => maxPool2d(rt, x, params),
  };
  warmUp(backend);
  info = { ...features, threads: 1 };
  return backend;
}
