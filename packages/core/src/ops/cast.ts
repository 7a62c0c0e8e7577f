import type { DType } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { assertDType, isFloating } from '../tensor/dtype.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { alias } from './view.ts';
import { checkTensors } from './broadcast.ts';

/** A copy of `x` converted to `dtype`, without autograd (for internal promotion). */
export function castTo(x: Tensor, dtype: DType): Tensor {
  const backend = backendOf('to', x);
  return wrap(backend, backend.cast(x.layout, dtype), x.shape, dtype);
}

/** `x` as `dtype` (a new handle on the same data when it already has that dtype). */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensors('cast', [x]);
  assertDType(dtype, 'to');
  if (x.dtype === dtype) return alias(x);
  const out = castTo(x, dtype);
  if (!isFloating(dtype)) return out;
  return record('ToCopyBackward', out, [x], [], (g) => [g]);
}
