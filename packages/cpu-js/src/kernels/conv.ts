import type { Conv2dParams, View } from '@flint/core';
import { Scratch } from '../scratch.ts';
import { dataOf } from '../storage.ts';
import { contiguous } from './copy.ts';
import { gemm } from './matmul.ts';
import { validRange } from './window.ts';

/**
 * Convolution as im2col + gemm, per sample, with the groups as the gemm batch. The unfolded input
 * `col` is [C * kH * kW, outH * outW]: row (c, i, j) holds x[c, oh * sH - pH + i * dH, ...] for every
 * output position, 0 in the padding. Group g owns rows [g * Cg * kH * kW, (g + 1) * ...), so each
 * group's block is one batch entry with a constant stride.
 */

/** Sizes and geometry of one convolution. */
interface Geometry {
  readonly C: number; readonly H: number; readonly W: number;
  readonly O: number; readonly kH: number; readonly kW: number;
  readonly oH: number; readonly oW: number;
  readonly groups: number;
  readonly p: Conv2dParams;
}

const colScratch = new Scratch((n) => new Float32Array(n));

function geometry(xShape: readonly number[], wShape: readonly number[], oH: number, oW: number, p: Conv2dParams): Geometry {
  const [, C, H, W] = xShape;
  const [O, , kH, kW] = wShape;
  return { C, H, W, O, kH, kW, oH, oW, groups: p.groups, p };
}

/** Output extent of a convolution along one dimension (PyTorch's formula). */
function outExtent(size: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Rows of the unfolded input per group (the gemm inner dimension of the forward pass). */
function colRows(g: Geometry): number {
  return (g.C / g.groups) * g.kH * g.kW;
}

/** Unfolds sample `n` of the strided view `x` into `col`. */
function im2col(x: View, n: number, g: Geometry, col: Float32Array): void {
  const X = dataOf(x);
  const [sN, sC, sH, sW] = x.strides;
  const { C, H, W, kH, kW, oH, oW } = g;
  const [strideH, strideW] = g.p.stride;
  const [padH, padW] = g.p.padding;
  const [dilH, dilW] = g.p.dilation;
  const L = oH * oW;
  let rowBase = 0;
  for (let c = 0; c < C; c++) {
    const plane = x.offset + n * sN + c * sC;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++, rowBase += L) {
        const startW = j * dilW - padW;
        const [lo, hi] = validRange(oW, W, startW, strideW);
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strideH - padH + i * dilH;
          const o = rowBase + oh * oW;
          if (ih < 0 || ih >= H) {
            col.fill(0, o, o + oW);
            continue;
          }
          col.fill(0, o, o + lo);
          const step = strideW * sW;
          for (let ow = lo, src = plane + ih * sH + (lo * strideW + startW) * sW; ow < hi; ow++, src += step) {
            col[o + ow] = X[src];
          }
          col.fill(0, o + hi, o + oW);
        }
      }
    }
  }
}

/** The adjoint of im2col: adds `col` back into the contiguous [C, H, W] block of `dx` at `dxOffset`. */
function col2im(col: Float32Array, g: Geometry, dx: Float32Array, dxOffset: number): void {
  const { C, H, W, kH, kW, oH, oW } = g;
  const [strideH, strideW] = g.p.stride;
  const [padH, padW] = g.p.padding;
  const [dilH, dilW] = g.p.dilation;
  const L = oH * oW;
  let rowBase = 0;
  for (let c = 0; c < C; c++) {
    const plane = dxOffset + c * H * W;
    for (let i = 0; i < kH; i++) {
      for (let j = 0; j < kW; j++, rowBase += L) {
        const startW = j * dilW - padW;
        const [lo, hi] = validRange(oW, W, startW, strideW);
        for (let oh = 0; oh < oH; oh++) {
          const ih = oh * strideH - padH + i * dilH;
          if (ih < 0 || ih >= H) continue;
          const o = rowBase + oh * oW;
          for (let ow = lo, d = plane + ih * W + lo * strideW + startW; ow < hi; ow++, d += strideW) {
            dx[d] += col[o + ow];
          }
        }
      }
    }
  }
}

/** conv2d (cross-correlation) of x [N, C, H, W] with weight [O, C / groups, kH, kW]. */
export function conv2d(x: View, weight: View, p: Conv2dParams): Float32Array {
  const [N, , H, W] = x.shape;
  const [, , kH, kW] = weight.shape;
  const oH = outExtent(H, kH, p.stride[0], p.padding[0], p.dilation[0]);
  const oW = outExtent(W, kW, p.stride[1], p.padding[1], p.dilation[1]);
  const g = geometry(x.shape, weight.shape, oH, oW, p);
  const L = oH * oW;
  const rows = colRows(g);
  const Og = g.O / g.groups;
  const out = new Float32Array(N * g.O * L);
  const w = contiguous(weight) as Float32Array;
  const col = colScratch.get(g.C * kH * kW * L);
  const wMats = { data: w, offset: 0, batch: Og * rows, row: rows, col: 1 };
  const colMats = { data: col, offset: 0, batch: rows * L, row: L, col: 1 };
  for (let n = 0; n < N; n++) {
    im2col(x, n, g, col);
    gemm(g.groups, Og, rows, L, wMats, colMats, out, n * g.O * L, false);
  }
  return out;
}

/** Gradient of conv2d with respect to its input: col2im(weightᵀ · dy) per sample. */
export function conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], p: Conv2dParams): Float32Array {
  const [N, , oH, oW] = dy.shape;
  const g = geometry(xShape, weight.shape, oH, oW, p);
  const L = oH * oW;
  const rows = colRows(g);
  const Og = g.O / g.groups;
  const dx = new Float32Array(N * g.C * g.H * g.W);
  const w = contiguous(weight) as Float32Array;
  const grad = contiguous(dy) as Float32Array;
  const col = colScratch.get(g.C * g.kH * g.kW * L);
  const wT = { data: w, offset: 0, batch: Og * rows, row: 1, col: rows };
  for (let n = 0; n < N; n++) {
    const dyMats = { data: grad, offset: n * g.O * L, batch: Og * L, row: L, col: 1 };
    gemm(g.groups, rows, Og, L, wT, dyMats, col, 0, false);
    col2im(col, g, dx, n * g.C * g.H * g.W);
  }
  return dx;
}

/** Gradient of conv2d with respect to its weight: sum over samples of dy · im2col(x)ᵀ. */
export function conv2dBackwardWeight(x: View, dy: View, weightShape: readonly number[], p: Conv2dParams): Float32Array {
  const [N, , oH, oW] = dy.shape;
  const g = geometry(x.shape, weightShape, oH, oW, p);
  const L = oH * oW;
  const rows = colRows(g);
  const Og = g.O / g.groups;
  const dw = new Float32Array(g.O * rows);
  const grad = contiguous(dy) as Float32Array;
  const col = colScratch.get(g.C * g.kH * g.kW * L);
  const colT = { data: col, offset: 0, batch: rows * L, row: 1, col: L };
  for (let n = 0; n < N; n++) {
    im2col(x, n, g, col);
    const dyMats = { data: grad, offset: n * g.O * L, batch: Og * L, row: L, col: 1 };
    gemm(g.groups, Og, L, rows, dyMats, colT, dw, 0, true);
  }
  return dw;
}
