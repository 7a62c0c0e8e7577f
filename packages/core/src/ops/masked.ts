/** Filling where a mask is set. */
import type { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, formatShape, shapeEquals } from '../tensor/shape.ts';
import { backendOf } from './kernel.ts';
import { castTo } from './cast.ts';
import { where } from './elementwise.ts';
import { tidy } from '../memory/scope.ts';

/** `value` in `x`'s dtype, as PyTorch casts it: truncated for int32, nonzero for bool. */
function valueFor(x: Tensor, value: number | boolean | Tensor): number | boolean | Tensor {
  if (typeof value !== 'object') return x.dtype === 'int32' ? Math.trunc(Number(value)) : x.dtype === 'bool' ? Boolean(value) : Number(value);
  if (value.ndim !== 0) throw new RangeError(`maskedFill(): only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  return value.dtype === x.dtype ? value : castTo(value, x.dtype);
}

/**
 * `x` with `value` wherever the bool `mask` (broadcast to `x`'s shape) is true.
 * @example scores.maskedFill(flint.tril(flint.ones([T, T])).eq(0), -Infinity) // causal attention
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  backendOf('maskedFill', x, mask, value);
  if (mask.dtype !== 'bool') throw new TypeError(`maskedFill(): expected mask to be a bool tensor, got ${mask.dtype}`);
  if (!shapeEquals(broadcastShapes('maskedFill', x.shape, mask.shape), x.shape)) {
    throw new RangeError(`maskedFill(): mask of shape ${formatShape(mask.shape)} cannot be broadcast to the input's shape ${formatShape(x.shape)}`);
  }
  return tidy(() => where(mask, valueFor(x, value), x));
}
