import type { Pool2dParams, Storage, View } from '@flint/core';
import type { Runtime } from '../runtime.ts';

/** Max pooling of x [N, C, H, W] into values and int32 indices flattened within each H x W plane. */
export function maxPool2d(rt: Runtime, x: View, p: Pool2dParams): { values: Storage; indices: Storage } {
  if (x.dtype !== 'float32') throw new Error(`wasm-simd: maxPool2d expects float32 input, got ${x.dtype}`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [oH, oW] = p.outSize;
  const values = rt.output([N, C, oH, oW], x.dtype);
  const indices = rt.output([N, C, oH, oW], 'int32');
  const xOp = rt.operand(x);
  // Each element of the [N, C] walk is one plane; planes of the outputs are oH * oW apart.
  const planes = (o: { addr: number; bytes: number }) => ({ ...o, strides: [C * oH * oW, oH * oW] });
  const params = rt.rows([N, C], [planes(values.operand), planes(indices.operand), { ...xOp, strides: x.strides.slice(0, 2) }]);
  rt.extra([H, W, oH, oW, ...p.kernel, ...p.stride, ...p.padding, ...p.dilation, x.strides[2]! * 4, x.strides[3]! * 4]);
  rt.k.maxPool2d(params);
  return { values: values.storage, indices: indices.storage };
}
