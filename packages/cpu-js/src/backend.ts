import type { Backend, Storage } from '@flint/core';
import { binary, cast, unary, where } from './kernels/elementwise.ts';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight } from './kernels/conv.ts';
import { copy } from './kernels/copy.ts';
import { adamStep, sgdStep, softmax } from './kernels/fused.ts';
import { arange, fill } from './kernels/creation.ts';
import { gather, scatterAdd } from './kernels/indexing.ts';
import { matmul } from './kernels/matmul.ts';
import { maxPool2d } from './kernels/pool.ts';
import { cumsum, reduce } from './kernels/reduce.ts';
import { sort } from './kernels/sort.ts';
import { cpuStorage, StoragePool } from './storage.ts';

/**
 * The reference backend: synchronous TypedArray kernels. Kernels return plain arrays whose class
 * fixes the dtype; the pool turns each into a tracked storage.
 */
export function createCpuBackend(): Backend {
  const pool = new StoragePool();
  const readCopy = (storage: Storage) => cpuStorage(storage).data.slice();
  return {
    name: 'cpu-js',

    alloc: (size, dtype) => pool.alloc(size, dtype),
    upload: (data, dtype) => pool.upload(data, dtype),
    read: async (storage) => readCopy(storage),
    readSync: readCopy,
    free: (storage) => pool.free(storage),
    memory: () => pool.memory(),
    sync: async () => {},

    fill: (size, value, dtype) => pool.adopt(fill(size, value, dtype)),
    arange: (size, start, step, dtype) => pool.adopt(arange(size, start, step, dtype)),

    unary: (op, x) => pool.adopt(unary(op, x)),
    binary: (op, a, b, into) => {
      if (!into) return pool.adopt(binary(op, a, b));
      binary(op, a, b, into);
      return into.storage;
    },
    where: (cond, a, b) => pool.adopt(where(cond, a, b)),
    cast: (x, dtype) => pool.adopt(cast(x, dtype)),

    copy,

    reduce: (op, x, axes) => pool.adopt(reduce(op, x, axes)),
    cumsum: (x, axis) => pool.adopt(cumsum(x, axis)),

    sort: (x, descending) => {
      const { values, indices } = sort(x, descending);
      return { values: pool.adopt(values), indices: pool.adopt(indices) };
    },

    gather: (x, axis, index) => pool.adopt(gather(x, axis, index)),
    scatterAdd: (base, axis, index, src) => pool.adopt(scatterAdd(base, axis, index, src)),

    matmul: (a, b) => pool.adopt(matmul(a, b)),

    conv2d: (x, weight, params) => pool.adopt(conv2d(x, weight, params)),
    conv2dBackwardInput: (dy, weight, xShape, params) => pool.adopt(conv2dBackwardInput(dy, weight, xShape, params)),
    conv2dBackwardWeight: (x, dy, weightShape, params) => pool.adopt(conv2dBackwardWeight(x, dy, weightShape, params)),
    maxPool2d: (x, params) => {
      const { values, indices } = maxPool2d(x, params);
      return { values: pool.adopt(values), indices: pool.adopt(indices) };
    },

    fused: {
      softmax: (x, axis, log) => pool.adopt(softmax(x, axis, log)),
      sgdStep,
      adamStep,
    },
  };
}
