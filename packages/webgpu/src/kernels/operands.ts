/**
 * What the Backend interface allows beyond views for elementwise kernels: scalar operands and
 * writing into an existing window. Both are reduced to the view-only kernels here.
 */
import { contiguousStrides, viewAmong, type BinaryOp, type Operand, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import { gpuStorage, type GpuStorage } from '../storage.ts';
import { binary, copy, fill, where } from './elementwise.ts';

/**
 * Runs `kernel` on the operands as views: a scalar becomes a one-element storage repeated by zero
 * strides, freed once the kernel is enqueued (queue order keeps it alive for the kernel).
 */
function withViews<T>(ctx: KernelContext, operands: readonly Operand[], kernel: (views: View[]) => T): T {
  const like = viewAmong(operands);
  const temps: GpuStorage[] = [];
  const views = operands.map((x): View => {
    if (typeof x !== 'number') return x;
    const cell = fill(ctx, 1, x, like.dtype);
    temps.push(cell);
    return { storage: cell, dtype: like.dtype, shape: like.shape, strides: like.shape.map(() => 0), offset: 0 };
  });
  try {
    return kernel(views);
  } finally {
    for (const t of temps) ctx.storages.free(t);
  }
}

/** `a op b` over views or scalars, into a fresh storage or (through a copy, since one buffer cannot be read and written by one dispatch) into `into`. */
export function binaryOperands(ctx: KernelContext, op: BinaryOp, a: Operand, b: Operand, into?: View): GpuStorage {
  const result = withViews(ctx, [a, b], ([va, vb]) => binary(ctx, op, va!, vb!));
  if (!into) return result;
  const shape = into.shape;
  copy(ctx, { storage: result, dtype: into.dtype, shape, strides: contiguousStrides(shape), offset: 0 }, into);
  ctx.storages.free(result);
  return gpuStorage(into.storage);
}

/** `cond ? a : b` over views or scalars. */
export function whereOperands(ctx: KernelContext, cond: View, a: Operand, b: Operand): GpuStorage {
  return withViews(ctx, [a, b], ([va, vb]) => where(ctx, cond, va!, vb!));
}
