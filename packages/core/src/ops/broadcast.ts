/** Bringing operands to one shape and dtype before a kernel runs, and summing gradients back. */
import type { Backend, DType, View } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { broadcastShapes, type Shape } from '../tensor/shape.ts';
import { wrap } from './kernel.ts';
import { castTo } from './cast.ts';

/** A view of `t` stretched to `shape` with zero strides, copying nothing. */
export function broadcastLayout(t: Tensor, shape: Shape): View {
  const lead = shape.length - t.ndim;
  const strides = shape.map((d, i) => {
    const j = i - lead;
    return j < 0 || (t.shape[j] === 1 && d !== 1) ? 0 : t.strides[j]!;
  });
  return { ...t.layout, shape, strides };
}

/**
 * Operands as tensors of `dtype` on `backend` (numbers become one-element tensors, tensors of
 * another dtype are cast), plus the temporaries to dispose once the kernel has run.
 */
export function asTensors(backend: Backend, dtype: DType, operands: readonly TensorLike[]): { tensors: Tensor[]; temps: Tensor[] } {
  const temps: Tensor[] = [];
  const tensors = operands.map((x) => {
    if (x instanceof Tensor) {
      if (x.dtype === dtype) return x;
      const c = castTo(x, dtype);
      temps.push(c);
      return c;
    }
    const s = wrap(backend, backend.fill(1, Number(x), dtype), [], dtype);
    temps.push(s);
    return s;
  });
  return { tensors, temps };
}

export function shapeOf(x: TensorLike): Shape {
  return x instanceof Tensor ? x.shape : [];
}

export function broadcastOperands(op: string, operands: readonly TensorLike[]): number[] {
  return broadcastShapes(op, ...operands.map(shapeOf));
}
