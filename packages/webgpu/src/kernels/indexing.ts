/**
 * gather and scatterAdd along an axis. scatterAdd copies the base, then adds each source element
 * with an atomic: integer adds directly, float adds through a compare-exchange loop on the bits
 * (so repeated indices accumulate; their order, and so the float rounding, is unspecified).
 */
import { contiguousStrides, numel, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, ELEMENT_MAIN, load, Params, withLibrary } from '../wgsl.ts';
import { copy } from './elementwise.ts';

/** Strides with the `axis` entry zeroed: the indexed coordinate is added separately. */
function withoutAxis(strides: readonly number[], axis: number): number[] {
  return strides.map((s, d) => (d === axis ? 0 : s));
}

/** out[..., i, ...] = x[..., index[..., i, ...], ...] along `axis`; output has index.shape. */
export function gather(ctx: KernelContext, x: View, axis: number, index: View): GpuStorage {
  const n = numel(index.shape);
  const out = ctx.output('gather', n, x.dtype);
  // [n, nd, index.shape, index view, x view without the axis, x's axis stride]
  const params = new Params()
    .push(n, index.shape.length, ...index.shape)
    .view(index)
    .view({ offset: x.offset, strides: withoutAxis(x.strides, axis) })
    .push(x.strides[axis]!);
  const kernel = {
    key: 'gather',
    source: () =>
      withLibrary(`${bindings([['out', 'read_write'], ['x', 'read'], ['index', 'read']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let nd = p[1];
  let k = ${load('int32', 'index', 'viewOffset(i, nd, 2u, 2u + nd)')};
  out[i] = x[viewOffset(i, nd, 2u, 3u + 2u * nd) + u32(k) * p[4u + 3u * nd]];
}`),
  };
  ctx.run('gather', kernel, params.toArray(), [out.region, ctx.region(x), ctx.region(index)], n);
  return out;
}

/** A contiguous copy of `base` with each `src` element added at the position `index` names along `axis`. */
export function scatterAdd(ctx: KernelContext, base: View, axis: number, index: View, src: View): GpuStorage {
  const size = numel(base.shape);
  const out = ctx.output('scatterAdd', size, base.dtype);
  const outStrides = contiguousStrides(base.shape);
  copy(ctx, base, { storage: out, dtype: base.dtype, shape: base.shape, strides: outStrides, offset: 0 });
  const n = numel(index.shape);
  const float = base.dtype === 'float32';
  // [n, nd, index.shape, index view, src view, out (without the axis) view, out's axis stride]
  const params = new Params()
    .push(n, index.shape.length, ...index.shape)
    .view(index)
    .view(src)
    .view({ offset: 0, strides: withoutAxis(outStrides, axis) })
    .push(outStrides[axis]!);
  const add = float
    ? `var old = atomicLoad(&out[at]);
  loop {
    let next = bitcast<u32>(bitcast<f32>(old) + bitcast<f32>(v));
    let r = atomicCompareExchangeWeak(&out[at], old, next);
    if (r.exchanged) { break; }
    old = r.old_value;
  }`
    : 'atomicAdd(&out[at], v);';
  const kernel = {
    key: `scatterAdd:${float ? 'f32' : 'i32'}`,
    source: () =>
      withLibrary(`${bindings([['out', 'read_write', 'atomic<u32>'], ['src', 'read'], ['index', 'read']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let nd = p[1];
  let k = ${load('int32', 'index', 'viewOffset(i, nd, 2u, 2u + nd)')};
  let v = src[viewOffset(i, nd, 2u, 3u + 2u * nd)];
  let at = viewOffset(i, nd, 2u, 4u + 3u * nd) + u32(k) * p[5u + 4u * nd];
  ${add}
}`),
  };
  ctx.run('scatterAdd', kernel, params.toArray(), [out.region, ctx.region(src), ctx.region(index)], n);
  return out;
}
