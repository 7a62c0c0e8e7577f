import type { AnyTypedArray, Pool2dParams, View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';

/** First in-bounds window coordinate at or after `start`, stepping by `dilation` (padding is skipped). */
function firstInside(start: number, dilation: number): number {
  return start >= 0 ? start : start + Math.ceil(-start / dilation) * dilation;
}

/**
 * Max pooling of x [N, C, H, W], mirroring PyTorch's CPU kernel: padding never wins (it is
 * skipped, which is the same as -Infinity), the first maximum wins ties, and `v > max || isnan(v)`
 * makes a NaN the maximum (the last NaN in the window, as in PyTorch). An all -Infinity window
 * reports its first in-bounds position. Indices are flattened within each H x W plane.
 */
export function maxPool2d(x: View, p: Pool2dParams): { values: AnyTypedArray; indices: Int32Array } {
  const [N, C, H, W] = x.shape;
  const [oH, oW] = p.outSize;
  const [kH, kW] = p.kernel;
  const [strideH, strideW] = p.stride;
  const [padH, padW] = p.padding;
  const [dilH, dilW] = p.dilation;
  const values = newArray(x.dtype, N * C * oH * oW);
  const indices = new Int32Array(N * C * oH * oW);
  const X = dataOf(x);
  const sH = x.strides[2];
  const sW = x.strides[3];
  const planes = new RowIter([N, C], [x.strides.slice(0, 2)], [x.offset]);
  let o = 0;
  for (let r = 0; r < planes.rows; r++, planes.next()) {
    for (let q = 0, plane = planes.at[0]; q < planes.len; q++, plane += planes.step[0]) {
      for (let oh = 0; oh < oH; oh++) {
        const startH = oh * strideH - padH;
        const endH = Math.min(startH + (kH - 1) * dilH + 1, H);
        const h0 = firstInside(startH, dilH);
        for (let ow = 0; ow < oW; ow++, o++) {
          const startW = ow * strideW - padW;
          const endW = Math.min(startW + (kW - 1) * dilW + 1, W);
          const w0 = firstInside(startW, dilW);
          let best = -Infinity;
          let bestIndex = h0 * W + w0;
          for (let h = h0; h < endH; h += dilH) {
            for (let w = w0, src = plane + h * sH + w0 * sW; w < endW; w += dilW, src += dilW * sW) {
              const v = X[src];
              if (v > best || v !== v) {
                best = v;
                bestIndex = h * W + w;
              }
            }
          }
          values[o] = best;
          indices[o] = bestIndex;
        }
      }
    }
  }
  return { values, indices };
}
