import type { DType, Operand, View } from '@flint/core';
import { CpuStorage } from './storage.ts';

/**
 * One reusable cell per dtype for scalar operands. Kernels run synchronously and take at most one
 * scalar each, so a cell is never needed twice at once, and a scalar costs no allocation.
 */
const cells: Record<DType, CpuStorage> = {
  float32: new CpuStorage(new Float32Array(1)),
  int32: new CpuStorage(new Int32Array(1)),
  bool: new CpuStorage(new Uint8Array(1)),
};

/** The view of a kernel operand: a scalar is one cell repeated over `like`'s shape by zero strides. */
export function operandView(x: Operand, like: View): View {
  if (typeof x !== 'number') return x;
  const cell = cells[like.dtype];
  cell.data[0] = x;
  return { storage: cell, dtype: like.dtype, shape: like.shape, strides: like.shape.map(() => 0), offset: 0 };
}
