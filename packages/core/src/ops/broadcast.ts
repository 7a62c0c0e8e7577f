/** Bringing operands to one shape and dtype before a kernel runs, and summing gradients back. */
import type { DType, Operand, View } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { broadcastShapes, shapeEquals, type Shape } from '../tensor/shape.ts';
import { castTo } from './cast.ts';
import { typeName } from '../tensor/type-name.ts';
import { noteOp } from '../trace/state.ts';

/** A view of `t` stretched to `shape` with zero strides, copying nothing. */
export function broadcastLayout(t: Tensor, shape: Shape): View {
  if (shapeEquals(t.shape, shape)) return t.layout;
  const lead = shape.length - t.ndim;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    return j < 0 || (t.shape[j] === 1 && d !== 1) ? 0 : t.strides[j]!;
  });
  return { ...t.layout, shape, strides };
}

/** `value` as the `dtype` element a typed array would store (what a kernel's scalar operand holds). */
export function scalarOf(value: number | boolean, dtype: DType): number {
  const v = Number(value);
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return v | 0;
  return v !== 0 ? 1 : 0;
}

/**
 * Kernel operands of `dtype` stretched to `shape`: tensors of another dtype are cast (the casts
 * are returned as temporaries to dispose once the kernel has run); numbers stay scalars.
 */
export function asOperands(dtype: DType, shape: Shape, operands: readonly TensorLike[]): { operands: Operand[]; temps: Tensor[] } {
  const temps: Tensor[] = [];
  const out = operands.map((x): Operand => {
    if (!(x instanceof Tensor)) return scalarOf(x, dtype);
    if (x.dtype === dtype) return broadcastLayout(x, shape);
    const c = castTo(x, dtype);
    temps.push(c);
    return broadcastLayout(c, shape);
  });
  return { operands: out, temps };
}

export function shapeOf(x: TensorLike): Shape {
  return x instanceof Tensor ? x.shape : [];
}

/**
 * The broadcast shape of an op's operands, each checked to be a Tensor, a number or a boolean (a
 * string or null would otherwise be coerced by JavaScript arithmetic).
 */
export function broadcastOperands(op: string, operands: readonly TensorLike[]): number[] {
  checkOperands(op, operands);
  return broadcastShapes(op, ...operands.map(shapeOf));
}

/**
 * Checks each operand of the public op `op` before any work: a live Tensor, a number or a
 * boolean. Ops built from other ops call it first, so that a bad argument is reported under the
 * name the caller used rather than that of an op inside.
 */
export function checkOperands(op: string, operands: readonly unknown[]): void {
  noteOp(op);
  for (let i = 0; i < operands.length; i++) {
    const x = operands[i];
    if (x instanceof Tensor) x.assertAlive(op);
    else if (typeof x !== 'number' && typeof x !== 'boolean') {
      throw new TypeError(`${op}(): ${x === undefined ? `missing required argument ${i + 1}: expected` : `argument ${i + 1} must be`} a Tensor, a number or a boolean${x === undefined ? '' : `, not ${typeName(x)}`}`);
    }
  }
}

/** {@link checkOperands} for arguments that must be tensors. */
export function checkTensors(op: string, tensors: readonly unknown[]): void {
  noteOp(op);
  for (let i = 0; i < tensors.length; i++) {
    const x = tensors[i];
    if (!(x instanceof Tensor)) throw new TypeError(x === undefined ? `${op}(): missing required argument ${i + 1}: expected a Tensor` : `${op}(): argument ${i + 1} must be a Tensor, not ${typeName(x)}`);
    x.assertAlive(op);
  }
}
