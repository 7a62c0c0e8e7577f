/**
 * Max pooling, one thread per output element, with cpu-js's (and PyTorch's CPU) rules: padding is
 * skipped, the first maximum wins ties, a NaN becomes the maximum (the last NaN of the window), and
 * an all -Infinity window reports its first in-bounds position.
 */
import type { Pool2dParams, View } from '@flint/core';
import type { KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, computeType, ELEMENT_MAIN, load, Params, store, withLibrary } from '../wgsl.ts';

function poolSource(x: View): string {
  const t = computeType(x.dtype);
  const isNan = t === 'f32' ? ' || isNan(v)' : '';
  return withLibrary(`${bindings([['values', 'read_write'], ['indices', 'read_write'], ['x', 'read']])}
// First in-bounds window coordinate at or after start, stepping by dilation.
fn firstInside(start: i32, dilation: i32) -> i32 {
  if (start >= 0) { return start; }
  return start + ((-start + dilation - 1) / dilation) * dilation;
}
// p: [total, H, W, oH, oW, kH, kW, sH, sW, pH, pW, dH, dW, C, x.offset, x.strides[4]]
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let H = i32(p[1]); let W = i32(p[2]); let oH = p[3]; let oW = p[4];
  let kH = i32(p[5]); let kW = i32(p[6]); let dH = i32(p[11]); let dW = i32(p[12]);
  let ow = i % oW; let oh = (i / oW) % oH; let c = (i / (oW * oH)) % p[13]; let n = i / (oW * oH * p[13]);
  let plane = p[14] + n * p[15] + c * p[16];
  let startH = i32(oh * p[7]) - i32(p[9]);
  let startW = i32(ow * p[8]) - i32(p[10]);
  let endH = min(startH + (kH - 1) * dH + 1, H);
  let endW = min(startW + (kW - 1) * dW + 1, W);
  let h0 = firstInside(startH, dH);
  let w0 = firstInside(startW, dW);
  var best: ${t} = ${t === 'f32' ? '-inf()' : '-2147483647 - 1'};
  var bestIndex = h0 * W + w0;
  for (var h = h0; h < endH; h += dH) {
    for (var w = w0; w < endW; w += dW) {
      let v = ${load(x.dtype, 'x', 'plane + u32(h) * p[17] + u32(w) * p[18]')};
      if (v > best${isNan}) {
        best = v;
        bestIndex = h * W + w;
      }
    }
  }
  values[i] = ${store(x.dtype, 'best')};
  indices[i] = bitcast<u32>(bestIndex);
}`);
}

/** Max pooling of x [N, C, H, W] into values and int32 plane-flattened indices [N, C, outH, outW]. */
export function maxPool2d(ctx: KernelContext, x: View, p: Pool2dParams): { values: GpuStorage; indices: GpuStorage } {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [oH, oW] = p.outSize;
  const total = N * C * oH * oW;
  const values = ctx.output('maxPool2d', total, x.dtype);
  const indices = ctx.output('maxPool2d', total, 'int32');
  const params = new Params().push(total, H, W, oH, oW, ...p.kernel, ...p.stride, ...p.padding, ...p.dilation, C).view(x);
  const kernel = { key: `maxPool2d:${x.dtype}`, source: () => poolSource(x) };
  ctx.run('maxPool2d', kernel, params.toArray(), [values.region, indices.region, ctx.region(x)], total);
  return { values, indices };
}
