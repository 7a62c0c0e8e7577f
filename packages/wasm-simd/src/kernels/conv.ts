import { isContiguous, numel, type Conv2dParams, type Storage, type View } from '@flint/core';
import { binaryCode, dtypeCode, elementBytes } from '../codes.ts';
import type { Scratch } from '../heap.ts';
import type { Runtime } from '../runtime.ts';

/**
 * Convolution as im2col + gemm, per sample, with the groups as the gemm batch. The unfolded input
 * `col` is [C * kH * kW, oH * oW]; group g owns a constant-stride block of its rows, so each group is
 * one batch entry.
 */

/** Sizes of one convolution. */
interface Geometry {
  readonly N: number; readonly C: number; readonly H: number; readonly W: number;
  readonly O: number; readonly kH: number; readonly kW: number;
  readonly oH: number; readonly oW: number;
  /** Output positions per channel. */
  readonly L: number;
  /** Unfolded rows per group: the gemm inner dimension of the forward pass. */
  readonly rows: number;
  /** Output channels per group. */
  readonly Og: number;
  readonly groups: number;
}

function outExtent(size: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

function geometry(xShape: readonly number[], wShape: readonly number[], oH: number, oW: number, p: Conv2dParams): Geometry {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , kH, kW] = wShape as [number, number, number, number];
  const groups = p.groups;
  return { N, C, H, W, O, kH, kW, oH, oW, L: oH * oW, rows: (C / groups) * kH * kW, Og: O / groups, groups };
}

/** Hands the geometry to the kernels (assembly/conv.ts and conv-samples.ts read it). */
function prepare(rt: Runtime, g: Geometry, p: Conv2dParams): void {
  rt.extra([g.C, g.H, g.W, g.kH, g.kW, g.oH, g.oW, ...p.stride, ...p.padding, ...p.dilation, g.groups, g.O]);
}

/** Bytes of one unfolded sample. */
function colBytes(g: Geometry): number {
  return g.C * g.kH * g.kW * g.L * 4;
}

/** Multiply-adds of one pass over the batch: what decides whether it is worth splitting. */
function work(g: Geometry): number {
  return g.N * g.O * g.rows * g.L;
}

/** Byte address of a view's element [0, ...]. */
function address(rt: Runtime, v: View): number {
  return rt.storage(v).ptr + v.offset * elementBytes[v.dtype];
}

/** Byte address of `v`'s elements in row-major order: the view itself or a copy into `scratch`. */
function contiguousAddress(rt: Runtime, v: View, scratch: Scratch): number {
  if (isContiguous(v.shape, v.strides)) return address(rt, v);
  const copy = rt.raw(scratch.get(numel(v.shape) * 4), v.shape, 'float32');
  rt.k.cast(dtypeCode.float32, dtypeCode.float32, rt.rows(v.shape, [copy, rt.operand(v)]));
  return copy.addr;
}

/** conv2d (cross-correlation) of x [N, C, H, W] with weight [O, C / groups, kH, kW]. */
export function conv2d(rt: Runtime, x: View, weight: View, p: Conv2dParams): Storage {
  const [, , H, W] = x.shape as [number, number, number, number];
  const [, , kH, kW] = weight.shape as [number, number, number, number];
  const oH = outExtent(H, kH, p.stride[0], p.padding[0], p.dilation[0]);
  const oW = outExtent(W, kW, p.stride[1], p.padding[1], p.dilation[1]);
  const g = geometry(x.shape, weight.shape, oH, oW, p);
  const out = rt.output([g.N, g.O, oH, oW], 'float32');
  const w = contiguousAddress(rt, weight, rt.staging[0]);
  prepare(rt, g, p);
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number];
  const X = address(rt, x);
  rt.samples('convForward', g.N, work(g), (n0, n1, area) =>
    [n0, n1, X, sN, sC, sH, sW, w, out.storage.ptr, area.work.get(colBytes(g)), rt.params]);
  return out.storage;
}

/** Gradient of conv2d with respect to its input: col2im(weightᵀ · dy) per sample. */
export function conv2dBackwardInput(rt: Runtime, dy: View, weight: View, xShape: readonly number[], p: Conv2dParams): Storage {
  const [, , oH, oW] = dy.shape as [number, number, number, number];
  const g = geometry(xShape, weight.shape, oH, oW, p);
  const dx = rt.output(xShape, 'float32');
  rt.k.fill(dtypeCode.float32, dx.storage.ptr, dx.storage.size, 0);
  const w = contiguousAddress(rt, weight, rt.staging[0]);
  const grad = contiguousAddress(rt, dy, rt.staging[1]);
  prepare(rt, g, p);
  rt.samples('convBackwardInput', g.N, work(g), (n0, n1, area) =>
    [n0, n1, grad, w, dx.storage.ptr, area.work.get(colBytes(g)), rt.params]);
  return dx.storage;
}

/**
 * Gradient of conv2d with respect to its weight: the sum over samples of dy · im2col(x)ᵀ. Split
 * over threads, each part sums its samples (the calling thread's into the result, the others'
 * into their own partial), and the partials are added at the end.
 */
export function conv2dBackwardWeight(rt: Runtime, x: View, dy: View, weightShape: readonly number[], p: Conv2dParams): Storage {
  const [, , oH, oW] = dy.shape as [number, number, number, number];
  const g = geometry(x.shape, weightShape, oH, oW, p);
  const dw = rt.output(weightShape, 'float32');
  if (g.N === 0) {
    rt.k.fill(dtypeCode.float32, dw.storage.ptr, dw.storage.size, 0);
    return dw.storage;
  }
  const grad = contiguousAddress(rt, dy, rt.staging[1]);
  prepare(rt, g, p);
  const [sN, sC, sH, sW] = x.strides as [number, number, number, number];
  const X = address(rt, x);
  const partials: number[] = [];
  rt.samples('convBackwardWeight', g.N, work(g), (n0, n1, area, part) => {
    const into = part === 0 ? dw.storage.ptr : area.partial.get(dw.storage.size * 4);
    if (part > 0) partials.push(into);
    return [n0, n1, X, sN, sC, sH, sW, grad, into, area.work.get(colBytes(g)), rt.params];
  });
  for (const partial of partials) {
    const sum = rt.raw(dw.storage.ptr, [dw.storage.size], 'float32');
    rt.k.binary(binaryCode.get('add')!, dtypeCode.float32, rt.rows([dw.storage.size], [sum, sum, rt.raw(partial, [dw.storage.size], 'float32')]));
  }
  return dw.storage;
}
