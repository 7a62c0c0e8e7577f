/** Rounding toward zero and the fractional part. */
import type { Tensor } from '../tensor/tensor.ts';
import { ceil, floor, sub, where } from './elementwise.ts';
import { lt } from './compare.ts';
import { composed } from './composed.ts';
import { clone } from './view.ts';
import { checkTensors } from './broadcast.ts';

/** Rounds toward zero; int32 and bool inputs come back unchanged (as a copy). The gradient is 0. */
export function trunc(x: Tensor): Tensor {
  checkTensors('trunc', [x]);
  if (x.dtype !== 'float32') return clone(x);
  return composed('trunc', [x], [], () => where(lt(x, 0), ceil(x), floor(x)), (g) => [sub(g, g)]);
}

/** x - trunc(x), keeping x's sign; the gradient passes unchanged. */
export function frac(x: Tensor): Tensor {
  checkTensors('frac', [x]);
  if (x.dtype !== 'float32') throw new TypeError(`frac(): expected a floating point tensor, but got ${x.dtype}`);
  return composed('frac', [x], [], () => sub(x, trunc(x)), (g) => [g]);
}
