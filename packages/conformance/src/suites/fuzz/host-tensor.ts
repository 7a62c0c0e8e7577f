/**
 * Host tensors for the independent re-implementation: row-major float64 arrays with a shape, the
 * view ops the fuzzer's view chains use, and broadcasting elementwise maps.
 */
import { numel, type HostTensor } from './values.ts';

export const stridesOf = (shape: readonly number[]): number[] => {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
};

/** The coordinates of row-major position `flat` in `shape`. */
export function coordsOf(shape: readonly number[], flat: number): number[] {
  const coords = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return coords;
}

/** A tensor of `shape` whose element at each coordinate is `at(coords)`. */
export function build(shape: readonly number[], dtype: HostTensor['dtype'], at: (coords: number[]) => number): HostTensor {
  return { shape: [...shape], dtype, data: Array.from({ length: numel(shape) }, (_, i) => at(coordsOf(shape, i))) };
}

const stridesCache = new WeakMap<readonly number[], number[]>();
/** The element of `t` at `coords`. */
export function get(t: HostTensor, coords: readonly number[]): number {
  let strides = stridesCache.get(t.shape);
  if (!strides) stridesCache.set(t.shape, (strides = stridesOf(t.shape)));
  return t.data[coords.reduce((o, c, d) => o + c * strides[d]!, 0)]!;
}

/** The element of `t` broadcast to a result of rank `rank` at `coords`. */
function getBroadcast(t: HostTensor, coords: readonly number[]): number {
  const lead = coords.length - t.shape.length;
  return get(t, t.shape.map((n, d) => (n === 1 ? 0 : coords[lead + d]!)));
}

export function broadcastShape(...shapes: ReadonlyArray<readonly number[]>): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, d) => {
    const sizes = shapes.map((s) => s[s.length - rank + d] ?? 1);
    return sizes.find((n) => n !== 1) ?? 1;
  });
}

/** `fn` applied elementwise over the broadcast of `inputs`. */
export function zipWith(inputs: readonly HostTensor[], dtype: HostTensor['dtype'], fn: (...v: number[]) => number): HostTensor {
  const shape = broadcastShape(...inputs.map((t) => t.shape));
  return build(shape, dtype, (c) => fn(...inputs.map((t) => getBroadcast(t, c))));
}

export const scalar = (v: number, dtype: HostTensor['dtype'] = 'float32'): HostTensor => ({ shape: [], dtype, data: [v] });

// The views, as torch defines them; applied to a tensor of flat positions they give the offsets a
// view reads, which is how in-place writes through a view land in its base.
export const narrow = (t: HostTensor, dim: number, start: number, length: number): HostTensor =>
  build(t.shape.map((n, d) => (d === dim ? length : n)), t.dtype, (c) => get(t, c.map((v, d) => (d === dim ? v + start : v))));

export const stepSlice = (t: HostTensor, dim: number, start: number, step: number): HostTensor =>
  build(t.shape.map((n, d) => (d === dim ? Math.max(0, Math.ceil((n - start) / step)) : n)), t.dtype, (c) => get(t, c.map((v, d) => (d === dim ? start + v * step : v))));

export function permute(t: HostTensor, perm: readonly number[]): HostTensor {
  return build(perm.map((p) => t.shape[p]!), t.dtype, (c) => {
    const src = new Array<number>(perm.length);
    perm.forEach((p, i) => (src[p] = c[i]!));
    return get(t, src);
  });
}

export const transpose = (t: HostTensor, a: number, b: number): HostTensor => {
  const perm = t.shape.map((_, i) => i);
  [perm[a], perm[b]] = [b, a];
  return permute(t, perm);
};

export const expand = (t: HostTensor, shape: readonly number[]): HostTensor => build(shape, t.dtype, (c) => getBroadcast(t, c));

/** The flat positions 0..n-1 of a tensor of `shape`, for tracing where a view reads. */
export const positions = (shape: readonly number[]): HostTensor => ({ shape, dtype: 'int32', data: Array.from({ length: numel(shape) }, (_, i) => i) });

export const withData = (t: HostTensor, data: readonly number[]): HostTensor => ({ shape: t.shape, dtype: t.dtype, data });
