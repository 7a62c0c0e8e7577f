// Unfolding for convolution as im2col + gemm. The unfolded sample `col` is [C * kH * kW, oH * oW]:
// row (c, i, j) holds x[c, oh * strideH - padH + i * dilH, ow * strideW - padW + j * dilW] for every
// output position, 0 in the padding. Geometry arrives in the parameter block's extra words:
// C, H, W, kH, kW, oH, oW, strideH, strideW, padH, padW, dilH, dilW.
import { extra } from './iter';

/** Lower bound of the output positions o whose input o * stride + start is at least 0. */
@inline function firstValid(start: i32, stride: i32): i32 {
  return start >= 0 ? 0 : (-start + stride - 1) / stride;
}

/** One past the last output position (at most outSize) whose input lies below inSize. */
@inline function endValid(outSize: i32, inSize: i32, start: i32, stride: i32): i32 {
  const last = inSize - 1 - start;
  return last < 0 ? 0 : min(outSize, last / stride + 1);
}

/** Unfolds one sample of x (plane strides sC, sH, sW in elements) into col. */
export function im2col(x: usize, sC: i32, sH: i32, sW: i32, col: usize, p: usize): void {
  const C = extra(p, 0), H = extra(p, 1), W = extra(p, 2);
  const kH = extra(p, 3), kW = extra(p, 4), oH = extra(p, 5), oW = extra(p, 6);
  const strideH = extra(p, 7), strideW = extra(p, 8);
  const padH = extra(p, 9), padW = extra(p, 10);
  const dilH = extra(p, 11), dilW = extra(p, 12);
  let row = col;
  for (let c = 0; c < C; c++) {
    const plane = x + <usize>(c * sC) * 4;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const startW = j * dilW - padW;
        let lo = firstValid(startW, strideW);
        let hi = endValid(oW, W, startW, strideW);
        if (hi < lo) hi = lo = 0;
        for (let oh = 0; oh < oH; oh++, row += <usize>oW * 4) {
          const ih = oh * strideH - padH + i * dilH;
          if (ih < 0 || ih >= H) {
            memory.fill(row, 0, <usize>oW * 4);
            continue;
          }
          memory.fill(row, 0, <usize>lo * 4);
          // An empty range may point outside the sample: touch nothing then.
          if (hi > lo) {
            const src = plane + <usize>(ih * sH + (lo * strideW + startW) * sW) * 4;
            if (strideW * sW == 1) {
              memory.copy(row + (<usize>lo << 2), src, <usize>(hi - lo) * 4);
            } else {
              const step = <usize>(strideW * sW) * 4;
              let s = src;
              for (let ow = lo; ow < hi; ow++, s += step) store<f32>(row + (<usize>ow << 2), load<f32>(s));
            }
          }
          memory.fill(row + (<usize>hi << 2), 0, <usize>(oW - hi) * 4);
        }
      }
    }
  }
}

/** The adjoint of im2col: adds col into the contiguous [C, H, W] sample dx. */
export function col2im(col: usize, dx: usize, p: usize): void {
  const C = extra(p, 0), H = extra(p, 1), W = extra(p, 2);
  const kH = extra(p, 3), kW = extra(p, 4), oH = extra(p, 5), oW = extra(p, 6);
  const strideH = extra(p, 7), strideW = extra(p, 8);
  const padH = extra(p, 9), padW = extra(p, 10);
  const dilH = extra(p, 11), dilW = extra(p, 12);
  let row = col;
  for (let c = 0; c < C; c++) {
    const plane = dx + <usize>(c * H * W) * 4;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++) {
        const startW = j * dilW - padW;
        let lo = firstValid(startW, strideW);
        let hi = endValid(oW, W, startW, strideW);
        if (hi < lo) hi = lo = 0;
        for (let oh = 0; oh < oH; oh++, row += <usize>oW * 4) {
          const ih = oh * strideH - padH + i * dilH;
          if (ih < 0 || ih >= H) continue;
          let d = plane + <usize>(ih * W + lo * strideW + startW) * 4;
          const step = <usize>strideW * 4;
          for (let ow = lo; ow < hi; ow++, d += step) store<f32>(d, load<f32>(d) + load<f32>(row + (<usize>ow << 2)));
        }
      }
    }
  }
}
