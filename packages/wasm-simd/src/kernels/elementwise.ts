import { numel, viewAmong, type BinaryOp, type DType, type Operand, type Storage, type UnaryOp, type View } from '@flint/core';
import { binaryCode, COMPARISONS, dtypeCode, elementBytes, PREDICATES, unaryCode } from '../codes.ts';
import type { Operand as KernelOperand } from '../layout.ts';
import type { Runtime } from '../runtime.ts';

/** `op` applied to every element of `x`. */
export function unary(rt: Runtime, op: UnaryOp, x: View): Storage {
  const out = rt.output(x.shape, PREDICATES.has(op) ? 'bool' : x.dtype);
  rt.k.unary(unaryCode.get(op)!, dtypeCode[x.dtype], rt.rows(x.shape, [out.operand, rt.operand(x)]));
  return out.storage;
}

/** A kernel operand for `x`: a number becomes scalar cell `slot` repeated by zero strides. */
function operandOf(rt: Runtime, x: Operand, like: View, slot: number): KernelOperand {
  return typeof x === 'number' ? rt.scalar(slot, x, like.dtype, like.shape) : rt.operand(x);
}

/**
 * `a op b` over same-shaped (possibly broadcast) views or scalars, into a fresh storage, or into the
 * window `into` (possibly `a`'s own view: each element is read before it is written).
 */
export function binary(rt: Runtime, op: BinaryOp, a: Operand, b: Operand, into?: View): Storage {
  const like = viewAmong([a, b]);
  const out = into ? { storage: rt.storage(into), operand: rt.operand(into) } : rt.output(like.shape, COMPARISONS.has(op) ? 'bool' : like.dtype);
  const operands = [out.operand, operandOf(rt, a, like, 0), operandOf(rt, b, like, 1)];
  rt.k.binary(binaryCode.get(op)!, dtypeCode[like.dtype], rt.rows(like.shape, operands));
  return out.storage;
}

/** `cond ? a : b`; the output has the dtype of a and b. */
export function where(rt: Runtime, cond: View, a: Operand, b: Operand): Storage {
  const like = viewAmong([a, b]);
  const out = rt.output(cond.shape, like.dtype);
  const operands = [out.operand, rt.operand(cond), operandOf(rt, a, like, 0), operandOf(rt, b, like, 1)];
  rt.k.where(dtypeCode[like.dtype], rt.rows(cond.shape, operands));
  return out.storage;
}

/** `x` converted to `dtype` (float to int truncates toward zero and wraps; to bool is `!= 0`). */
export function cast(rt: Runtime, x: View, dtype: DType): Storage {
  const out = rt.output(x.shape, dtype);
  rt.k.cast(dtypeCode[x.dtype], dtypeCode[dtype], rt.rows(x.shape, [out.operand, rt.operand(x)]));
  return out.storage;
}

/** Writes `src` into the strided window `dst` (same shape and dtype). */
export function copy(rt: Runtime, src: View, dst: View): void {
  const type = dtypeCode[src.dtype];
  if (rt.storage(src) === rt.storage(dst)) {
    // Windows of one storage may overlap: copy through a snapshot so the result is a true copy.
    const snapshot = rt.raw(rt.work.get(numel(src.shape) * elementBytes[src.dtype]), src.shape, src.dtype);
    rt.k.cast(type, type, rt.rows(src.shape, [snapshot, rt.operand(src)]));
    rt.k.cast(type, type, rt.rows(src.shape, [rt.operand(dst), snapshot]));
    return;
  }
  rt.k.cast(type, type, rt.rows(src.shape, [rt.operand(dst), rt.operand(src)]));
}

/** A contiguous storage of `size` copies of `value`. */
export function fill(rt: Runtime, size: number, value: number, dtype: DType): Storage {
  const out = rt.heap.alloc(size, dtype);
  rt.k.fill(dtypeCode[dtype], out.ptr, size, value);
  return out;
}

/** `start + i * step` for i in [0, size), computed in float64 and rounded once. */
export function arange(rt: Runtime, size: number, start: number, step: number, dtype: DType): Storage {
  const out = rt.heap.alloc(size, dtype);
  rt.k.arange(dtypeCode[dtype], out.ptr, size, start, step);
  return out;
}
