// 2-D max pooling, mirroring PyTorch's CPU kernel: padding is skipped (same as -Infinity), the
// first maximum wins ties, `v > best || isnan(v)` makes a NaN the maximum, and an all -Infinity
// window reports its first in-bounds position. Indices are flattened within each H x W plane.
import { at, begin, extra, next, rowCount, rowLen, step } from './iter';

/** First in-bounds window coordinate at or after `start`, stepping by `dilation`. */
@inline function firstInside(start: i32, dilation: i32): i32 {
  return start >= 0 ? start : start + ((-start + dilation - 1) / dilation) * dilation;
}

function poolPlane(values: usize, indices: usize, plane: usize, p: usize): void {
  const W = extra(p, 1), H = extra(p, 0);
  const oH = extra(p, 2), oW = extra(p, 3);
  const kH = extra(p, 4), kW = extra(p, 5);
  const strideH = extra(p, 6), strideW = extra(p, 7);
  const padH = extra(p, 8), padW = extra(p, 9);
  const dilH = extra(p, 10), dilW = extra(p, 11);
  const sH = extra(p, 12), sW = extra(p, 13);
  let o: usize = 0;
  for (let oh = 0; oh < oH; oh++) {
    const startH = oh * strideH - padH;
    const endH = min(startH + (kH - 1) * dilH + 1, H);
    const h0 = firstInside(startH, dilH);
    for (let ow = 0; ow < oW; ow++, o++) {
      const startW = ow * strideW - padW;
      const endW = min(startW + (kW - 1) * dilW + 1, W);
      const w0 = firstInside(startW, dilW);
      let best: f32 = -Infinity;
      let bestIndex = h0 * W + w0;
      for (let h = h0; h < endH; h += dilH) {
        let src = plane + <usize>(h * sH + w0 * sW);
        for (let w = w0; w < endW; w += dilW, src += <usize>(dilW * sW)) {
          const v = load<f32>(src);
          if (v > best || v != v) {
            best = v;
            bestIndex = h * W + w;
          }
        }
      }
      store<f32>(values + (o << 2), best);
      store<i32>(indices + (o << 2), bestIndex);
    }
  }
}

/**
 * Max pooling of float32 planes: operands [values, indices, x] over [N, C]; extra parameters H, W,
 * oH, oW, kH, kW, strides, paddings, dilations (height first) and x's H and W byte strides.
 */
export function maxPool2d(p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const sv = step(p, 0);
  const si = step(p, 1);
  const sx = step(p, 2);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let v = at(p, 0);
    let idx = at(p, 1);
    let x = at(p, 2);
    for (let q = 0; q < n; q++, v += sv, idx += si, x += sx) poolPlane(v, idx, x, p);
    next(p);
  }
}

