import type { Conv2dParams, View } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, f32, random, read, rowMajor, upload, view } from './helpers.ts';

const b = backend();

interface Case {
  name: string;
  x: [number, number, number, number];
  o: number;
  k: [number, number];
  p: Conv2dParams;
  /** Read x and dy through channels-last storage and weight through a permuted one. */
  strided?: boolean;
}

const params = (stride: [number, number], padding: [number, number], dilation: [number, number], groups = 1): Conv2dParams => ({
  stride, padding, dilation, groups,
});

const cases: Case[] = [
  { name: 'plain 3x3', x: [2, 3, 7, 6], o: 4, k: [3, 3], p: params([1, 1], [0, 0], [1, 1]) },
  { name: 'stride and padding', x: [2, 3, 7, 8], o: 4, k: [3, 3], p: params([2, 3], [1, 2], [1, 1]) },
  { name: 'dilation', x: [1, 2, 9, 7], o: 3, k: [3, 2], p: params([1, 2], [2, 0], [2, 3]) },
  { name: 'groups', x: [2, 4, 6, 5], o: 6, k: [2, 3], p: params([1, 1], [1, 1], [1, 1], 2) },
  { name: 'depthwise', x: [1, 3, 5, 5], o: 3, k: [3, 3], p: params([2, 2], [1, 1], [1, 1], 3) },
  { name: 'pointwise strided', x: [3, 5, 4, 4], o: 2, k: [1, 1], p: params([2, 2], [0, 0], [1, 1]) },
  { name: 'padding wider than the kernel', x: [1, 1, 3, 4], o: 2, k: [2, 2], p: params([3, 2], [3, 2], [1, 1]) },
  { name: 'non-contiguous views', x: [2, 4, 5, 6], o: 4, k: [3, 2], p: params([2, 1], [1, 1], [1, 2], 2), strided: true },
];

const outExtent = (size: number, k: number, s: number, pad: number, d: number) => Math.floor((size + 2 * pad - d * (k - 1) - 1) / s) + 1;

/** Element offset of a 4-d index in a view. */
const at = (v: View, i: number, j: number, k: number, l: number) =>
  v.offset + i * v.strides[0] + j * v.strides[1] + k * v.strides[2] + l * v.strides[3];

/** Visits every (output position, weight tap) pair that touches the input, with the input coordinates. */
function forEachTap(c: Case, visit: (n: number, o: number, oh: number, ow: number, ci: number, i: number, j: number, ih: number, iw: number) => void): void {
  const [N, C, H, W] = c.x;
  const [kH, kW] = c.k;
  const { stride, padding, dilation, groups } = c.p;
  const oH = outExtent(H, kH, stride[0], padding[0], dilation[0]);
  const oW = outExtent(W, kW, stride[1], padding[1], dilation[1]);
  const Cg = C / groups;
  const Og = c.o / groups;
  for (let n = 0; n < N; n++) for (let o = 0; o < c.o; o++) for (let oh = 0; oh < oH; oh++) for (let ow = 0; ow < oW; ow++) {
    for (let ci = 0; ci < Cg; ci++) for (let i = 0; i < kH; i++) for (let j = 0; j < kW; j++) {
      const ih = oh * stride[0] - padding[0] + i * dilation[0];
      const iw = ow * stride[1] - padding[1] + j * dilation[1];
      if (ih >= 0 && ih < H && iw >= 0 && iw < W) visit(n, o, oh, ow, Math.floor(o / Og) * Cg + ci, i, j, ih, iw);
    }
  }
}

/** Views over random data: x, weight and dy, optionally through permuted storage. */
function operands(c: Case, seed: number) {
  const [N, C, H, W] = c.x;
  const [kH, kW] = c.k;
  const { stride, padding, dilation, groups } = c.p;
  const oH = outExtent(H, kH, stride[0], padding[0], dilation[0]);
  const oW = outExtent(W, kW, stride[1], padding[1], dilation[1]);
  const xShape = [N, C, H, W];
  const wShape = [c.o, C / groups, kH, kW];
  const yShape = [N, c.o, oH, oW];
  const make = (shape: number[], s: number, perm: number[] | null) => {
    const data = f32(random(shape.reduce((a, d) => a * d, 1) + 3, s));
    if (perm === null) return { data, v: view(upload(b, data), shape) };
    // Storage laid out in `perm` order (e.g. NHWC); strides map NCHW indices into it; offset 3.
    const storedShape = perm.map((d) => shape[d]);
    const storedStrides = rowMajor(storedShape);
    const strides = shape.map((_, d) => storedStrides[perm.indexOf(d)]);
    return { data, v: view(upload(b, data), shape, strides, 3) };
  };
  const x = make(xShape, seed, c.strided ? [0, 2, 3, 1] : null);
  const w = make(wShape, seed + 1, c.strided ? [2, 3, 1, 0] : null);
  const dy = make(yShape, seed + 2, c.strided ? [3, 1, 0, 2] : null);
  return { x, w, dy, xShape, wShape, yShape };
}

/** Float64 inner product of a row-major array with a strided operand of the same shape. */
function dot(values: number[], operand: { data: number[]; v: View }): number {
  const { shape } = operand.v;
  const s = rowMajor(shape);
  let acc = 0;
  for (let f = 0; f < values.length; f++) {
    const [i, j, k, l] = [0, 1, 2, 3].map((d) => Math.floor(f / s[d]) % shape[d]);
    acc += values[f] * operand.data[at(operand.v, i, j, k, l)];
  }
  return acc;
}

describe('conv2d', () => {
  it('hand-worked 3x3 input, 2x2 kernel, with and without padding', () => {
    const x = view(upload(b, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
    const w = view(upload(b, [1, 0, 0, -1]), [1, 1, 2, 2]);
    expect(read(b, b.conv2d(x, w, params([1, 1], [0, 0], [1, 1])))).toEqual([-4, -4, -4, -4]);
    expect(read(b, b.conv2d(x, w, params([1, 1], [1, 1], [1, 1])))).toEqual([
      -1, -2, -3, 0, -4, -4, -4, 3, -7, -4, -4, 6, 0, 7, 8, 9,
    ]);
  });

  it.each(cases)('$name matches a naive direct convolution', (c) => {
    const { x, w, yShape } = operands(c, 5);
    const expected = new Array<number>(yShape.reduce((a, d) => a * d, 1)).fill(0);
    const ys = rowMajor(yShape);
    const Cg = c.x[1] / c.p.groups;
    forEachTap(c, (n, o, oh, ow, ci, i, j, ih, iw) => {
      expected[n * ys[0] + o * ys[1] + oh * ys[2] + ow] += x.data[at(x.v, n, ci, ih, iw)] * w.data[at(w.v, o, ci % Cg, i, j)];
    });
    const out = b.conv2d(x.v, w.v, c.p);
    expect(out.dtype).toBe('float32');
    expectClose(read(b, out), expected, 1e-5, 1e-5);
  });
});

describe('conv2d gradients', () => {
  it.each(cases)('$name: both gradients match a naive scatter and satisfy the adjoint identity', (c) => {
    const { x, w, dy, xShape, wShape, yShape } = operands(c, 9);
    const Cg = c.x[1] / c.p.groups;
    const xs = rowMajor(xShape);
    const ws = rowMajor(wShape);
    const ys = rowMajor(yShape);
    const dx = new Array<number>(xShape.reduce((a, d) => a * d, 1)).fill(0);
    const dw = new Array<number>(wShape.reduce((a, d) => a * d, 1)).fill(0);
    const y = new Array<number>(yShape.reduce((a, d) => a * d, 1)).fill(0);
    forEachTap(c, (n, o, oh, ow, ci, i, j, ih, iw) => {
      const g = dy.data[at(dy.v, n, o, oh, ow)];
      const xv = x.data[at(x.v, n, ci, ih, iw)];
      const wv = w.data[at(w.v, o, ci % Cg, i, j)];
      y[n * ys[0] + o * ys[1] + oh * ys[2] + ow] += xv * wv;
      dx[n * xs[0] + ci * xs[1] + ih * xs[2] + iw] += g * wv;
      dw[o * ws[0] + (ci % Cg) * ws[1] + i * ws[2] + j] += g * xv;
    });

    const gx = read(b, b.conv2dBackwardInput(dy.v, w.v, xShape, c.p));
    const gw = read(b, b.conv2dBackwardWeight(x.v, dy.v, wShape, c.p));
    expectClose(gx, dx, 1e-5, 1e-5);
    expectClose(gw, dw, 1e-5, 1e-5);

    // <conv(x, w), dy> = <x, dL/dx> = <w, dL/dw>, each in float64.
    const lhs = dot(read(b, b.conv2d(x.v, w.v, c.p)), dy);
    const scale = Math.max(1, Math.abs(lhs));
    expect(Math.abs(dot(gx, x) - lhs) / scale).toBeLessThan(1e-5);
    expect(Math.abs(dot(gw, w) - lhs) / scale).toBeLessThan(1e-5);
  });
});
