/**
 * conv2d and its two gradients as direct convolutions, one thread per output element: the forward
 * pass and the input gradient sum over channels and kernel taps, the weight gradient over samples
 * and output positions. Views are read through their strides. The forward pass and the weight
 * gradient multiply the padding's zeros like any other input (im2col's semantics); the input
 * gradient sums only the taps that reach an output position, so the padding receives nothing.
 */
import { numel, type Conv2dParams, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, ELEMENT_MAIN, Params } from '../wgsl.ts';

/** The 16 geometry words every conv kernel starts its parameter block with. */
function geometry(xShape: readonly number[], wShape: readonly number[], outHW: readonly number[], p: Conv2dParams): number[] {
  const [N, C, H, W] = xShape as [number, number, number, number];
  const [O, , kH, kW] = wShape as [number, number, number, number];
  return [N, C, H, W, O, outHW[0]!, outHW[1]!, kH, kW, ...p.stride, ...p.padding, ...p.dilation, p.groups];
}

/** Output extent along one dimension (PyTorch's formula). */
function outExtent(size: number, kernel: number, stride: number, pad: number, dilation: number): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** WGSL that unpacks the geometry; the two 4-D views follow (`u` at p[16], `v` at p[21]), then the thread count. */
const PRELUDE = `  let N = p[0]; let C = p[1]; let H = p[2]; let W = p[3]; let O = p[4]; let oH = p[5]; let oW = p[6];
  let kH = p[7]; let kW = p[8]; let sH = p[9]; let sW = p[10]; let pH = p[11]; let pW = p[12];
  let dH = p[13]; let dW = p[14]; let groups = p[15];
  let Cg = C / groups;
  let Og = O / groups;
  let total = p[26];
  if (i >= total) { return; }`;

/** u[a, b, c, d] through the first view; v[...] through the second. */
const AT = `fn atU(a: u32, b: u32, c: u32, d: u32) -> u32 { return p[16] + a * p[17] + b * p[18] + c * p[19] + d * p[20]; }
fn atV(a: u32, b: u32, c: u32, d: u32) -> u32 { return p[21] + a * p[22] + b * p[23] + c * p[24] + d * p[25]; }
// The zero-padded input u[n, c, h, w] (H = p[2], W = p[3]). Padding is a real 0 that joins the
// products, so 0 * Inf and 0 * NaN give NaN as in PyTorch; the clamped load keeps the read in
// bounds and the select keeps the loop free of branches.
fn padded(n: u32, c: u32, h: i32, w: i32) -> f32 {
  let H = i32(p[2]); let W = i32(p[3]);
  let x = bitcast<f32>(u[atU(n, c, u32(clamp(h, 0, H - 1)), u32(clamp(w, 0, W - 1)))]);
  return select(0.0, x, h >= 0 && h < H && w >= 0 && w < W);
}`;

function source(body: string): string {
  return `${bindings([['out', 'read_write'], ['u', 'read'], ['v', 'read']])}
${AT}
${ELEMENT_MAIN}
${PRELUDE}
${body}
}`;
}

const FORWARD = source(`  let ow = i % oW; let oh = (i / oW) % oH; let o = (i / (oW * oH)) % O; let n = i / (oW * oH * O);
  let g = o / Og;
  var acc = 0.0;
  for (var c = 0u; c < Cg; c++) {
    for (var kh = 0u; kh < kH; kh++) {
      let ih = i32(oh * sH + kh * dH) - i32(pH);
      for (var kw = 0u; kw < kW; kw++) {
        let iw = i32(ow * sW + kw * dW) - i32(pW);
        acc += padded(n, g * Cg + c, ih, iw) * bitcast<f32>(v[atV(o, c, kh, kw)]);
      }
    }
  }
  out[i] = bitcast<u32>(acc);`);

const BACKWARD_INPUT = source(`  let iw = i % W; let ih = (i / W) % H; let c = (i / (W * H)) % C; let n = i / (W * H * C);
  let g = c / Cg;
  var acc = 0.0;
  for (var ol = 0u; ol < Og; ol++) {
    let o = g * Og + ol;
    for (var kh = 0u; kh < kH; kh++) {
      let th = i32(ih + pH) - i32(kh * dH);
      if (th < 0 || th % i32(sH) != 0 || u32(th) / sH >= oH) { continue; }
      for (var kw = 0u; kw < kW; kw++) {
        let tw = i32(iw + pW) - i32(kw * dW);
        if (tw < 0 || tw % i32(sW) != 0 || u32(tw) / sW >= oW) { continue; }
        acc += bitcast<f32>(u[atU(n, o, u32(th) / sH, u32(tw) / sW)]) * bitcast<f32>(v[atV(o, c - g * Cg, kh, kw)]);
      }
    }
  }
  out[i] = bitcast<u32>(acc);`);

const BACKWARD_WEIGHT = source(`  let kw = i % kW; let kh = (i / kW) % kH; let cl = (i / (kW * kH)) % Cg; let o = i / (kW * kH * Cg);
  let c = (o / Og) * Cg + cl;
  var acc = 0.0;
  for (var n = 0u; n < N; n++) {
    for (var oh = 0u; oh < oH; oh++) {
      let ih = i32(oh * sH + kh * dH) - i32(pH);
      for (var ow = 0u; ow < oW; ow++) {
        let iw = i32(ow * sW + kw * dW) - i32(pW);
        acc += padded(n, c, ih, iw) * bitcast<f32>(v[atV(n, o, oh, ow)]);
      }
    }
  }
  out[i] = bitcast<u32>(acc);`);

function run(ctx: KernelContext, op: string, code: string, geom: number[], u: View, v: View, size: number): GpuStorage {
  const out = ctx.output(op, size, 'float32');
  const params = new Params().push(...geom).view(u).view(v).push(size).toArray();
  ctx.run(op, { key: op, source: () => code }, params, [out.region, ctx.region(u), ctx.region(v)], size);
  return out;
}

/** x [N, C, H, W] * weight [O, C / groups, kH, kW] into [N, O, outH, outW]. */
export function conv2d(ctx: KernelContext, x: View, weight: View, p: Conv2dParams): GpuStorage {
  const [N, , H, W] = x.shape as [number, number, number, number];
  const [O, , kH, kW] = weight.shape as [number, number, number, number];
  const oH = outExtent(H, kH, p.stride[0], p.padding[0], p.dilation[0]);
  const oW = outExtent(W, kW, p.stride[1], p.padding[1], p.dilation[1]);
  return run(ctx, 'conv2d', FORWARD, geometry(x.shape, weight.shape, [oH, oW], p), x, weight, N * O * oH * oW);
}

/** Gradient of conv2d with respect to x: dy [N, O, outH, outW] into `xShape`. */
export function conv2dBackwardInput(ctx: KernelContext, dy: View, weight: View, xShape: readonly number[], p: Conv2dParams): GpuStorage {
  return run(ctx, 'conv2dBackwardInput', BACKWARD_INPUT, geometry(xShape, weight.shape, dy.shape.slice(2), p), dy, weight, numel(xShape));
}

/** Gradient of conv2d with respect to the weight: into `weightShape`. */
export function conv2dBackwardWeight(ctx: KernelContext, x: View, dy: View, weightShape: readonly number[], p: Conv2dParams): GpuStorage {
  return run(ctx, 'conv2dBackwardWeight', BACKWARD_WEIGHT, geometry(x.shape, weightShape, dy.shape.slice(2), p), x, dy, numel(weightShape));
}
