/**
 * The catalogue's structured ops on host tensors in float64, written from PyTorch's definitions
 * (not from any backend): reductions and scans, softmax, matmul, conv2d, pooling, gather,
 * scatterAdd, joins. Where PyTorch throws, these throw too.
 */
import { broadcastShape, build, coordsOf, get, stridesOf } from './host-tensor.ts';
import { numel, type HostTensor } from './values.ts';

const normDim = (dim: number, rank: number): number => (dim < 0 ? dim + Math.max(rank, 1) : dim);

/** The lines of `t` along `dims`, one per position of the other dims. */
function linesOf(t: HostTensor, dims: readonly number[]): { outer: number[]; lines: number[][] } {
  const rank = t.shape.length;
  const outer = t.shape.map((n, d) => (dims.includes(d) ? 1 : n));
  if (dims.length === 1 && dims[0] === rank - 1) {
    // Rows along the last dim are contiguous slices (the fast path long rows take).
    const n = t.shape[rank - 1]!;
    return { outer, lines: Array.from({ length: numel(outer) }, (_, o) => t.data.slice(o * n, (o + 1) * n)) };
  }
  const inner = dims.map((d) => t.shape[d]!);
  const lines = Array.from({ length: numel(outer) }, (_, o) => {
    const base = coordsOf(outer, o);
    return Array.from({ length: numel(inner) }, (_, i) => {
      const ic = coordsOf(inner, i);
      const c = base.slice();
      dims.forEach((d, k) => (c[d] = ic[k]!));
      return rank === 0 ? t.data[0]! : get(t, c);
    });
  });
  return { outer, lines };
}

/**
 * Reduces `t` over `dim` (all dims when undefined) with `fn` of each line. `name` is given for
 * reductions that have no value for an empty line, which throw for an empty dim even when the
 * result is empty, as torch's do.
 */
export function reduce(t: HostTensor, dim: number | undefined, keepdim: boolean, dtype: HostTensor['dtype'], fn: (line: number[]) => number, name?: string): HostTensor {
  const rank = t.shape.length;
  const dims = dim === undefined ? t.shape.map((_, d) => d) : rank === 0 ? [] : [normDim(dim, rank)];
  if (name && dims.some((d) => t.shape[d] === 0)) throw new RangeError(`${name}(): empty reduction dim`);
  const { outer, lines } = linesOf(t, dims);
  const shape = keepdim ? outer : t.shape.filter((_, d) => !dims.includes(d));
  return { shape, dtype, data: lines.map(fn) };
}

/** Maps each line of `t` along `dim` to a line of the same length. */
export function scan(t: HostTensor, dim: number, fn: (line: number[]) => number[]): HostTensor {
  const rank = t.shape.length;
  if (rank === 0) return { ...t, data: fn([t.data[0]!]) };
  const d = normDim(dim, rank);
  const { lines } = linesOf(t, [d]);
  const mapped = lines.map(fn);
  if (d === rank - 1) return { ...t, data: mapped.flat() };
  const outer = t.shape.map((n, i) => (i === d ? 1 : n));
  const outerStrides = stridesOf(outer);
  return build(t.shape, t.dtype, (c) => mapped[c.reduce((o, v, i) => o + (i === d ? 0 : v * outerStrides[i]!), 0)]![c[d]!]!);
}

const nonEmpty = (name: string) => (line: number[]): void => {
  if (line.length === 0) throw new RangeError(`${name}(): empty reduction`);
};
const extreme = (name: string, better: (a: number, b: number) => boolean) => (line: number[]): number => {
  nonEmpty(name)(line);
  return line.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : better(v, m) ? v : m));
};
/** First index of the extreme; NaN counts as the extreme, as in torch. */
const argExtreme = (name: string, better: (a: number, b: number) => boolean) => (line: number[]): number => {
  nonEmpty(name)(line);
  let at = 0;
  for (let i = 1; i < line.length; i++) {
    if (Number.isNaN(line[at]!)) break;
    if (Number.isNaN(line[i]!) || better(line[i]!, line[at]!)) at = i;
  }
  return at;
};
const total = (line: number[]): number => line.reduce((a, v) => a + v, 0);
const variance = (correction: number) => (line: number[]): number => {
  const mean = total(line) / line.length;
  return total(line.map((v) => (v - mean) ** 2)) / Math.max(0, line.length - correction);
};
/** torch's logsumexp: the max is subtracted unless infinite (then 0). */
const logsumexp = (line: number[]): number => {
  const m = line.length === 0 ? -Infinity : extreme('logsumexp', (a, b) => a > b)(line);
  const shift = Number.isFinite(m) ? m : 0;
  return Math.log(total(line.map((v) => Math.exp(v - shift)))) + shift;
};

/** Line functions of the float reductions, by op name; `correction` for var/std. */
export function lineReduction(name: string, correction = 1): (line: number[]) => number {
  switch (name) {
    case 'sum': return total;
    case 'mean': return (line) => total(line) / line.length;
    case 'prod': return (line) => line.reduce((a, v) => a * v, 1);
    case 'amax': return extreme('amax', (a, b) => a > b);
    case 'amin': return extreme('amin', (a, b) => a < b);
    case 'argmax': return argExtreme('argmax', (a, b) => a > b);
    case 'argmin': return argExtreme('argmin', (a, b) => a < b);
    case 'var': return variance(correction);
    case 'std': return (line) => Math.sqrt(variance(correction)(line));
    case 'logsumexp': return logsumexp;
    case 'all': return (line) => (line.every((v) => v !== 0) ? 1 : 0);
    case 'any': return (line) => (line.some((v) => v !== 0) ? 1 : 0);
    default: throw new Error(`no host reduction ${name}`);
  }
}

/** int32 reductions wrap as int32 arithmetic does. */
export function intLineReduction(name: string): (line: number[]) => number {
  if (name === 'sum') return (line) => line.reduce((a, v) => (a + v) | 0, 0);
  if (name === 'prod') return (line) => line.reduce((a, v) => Math.imul(a, v), 1);
  return lineReduction(name);
}

/** Scans: cumsum (int32 wrapping when `int`), softmax and logSoftmax as torch computes them. */
export function lineScan(name: string, int = false): (line: number[]) => number[] {
  if (name === 'cumsum') return (line) => {
    let acc = 0;
    return line.map((v) => (acc = int ? (acc + v) | 0 : acc + v));
  };
  const max = (line: number[]) => line.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.max(m, v)), -Infinity);
  if (name === 'softmax') return (line) => {
    const m = max(line);
    const e = line.map((v) => Math.exp(v - m));
    const s = total(e);
    return e.map((v) => v / s);
  };
  if (name === 'logSoftmax') return (line) => {
    const m = max(line);
    const l = Math.log(total(line.map((v) => Math.exp(v - m))));
    return line.map((v) => v - m - l);
  };
  throw new Error(`no host scan ${name}`);
}

/** torch.matmul, including 1-D operands and broadcast batch dims. */
export function matmul(a: HostTensor, b: HostTensor): HostTensor {
  const as = a.shape.length === 1 ? [1, a.shape[0]!] : a.shape;
  const bs = b.shape.length === 1 ? [b.shape[0]!, 1] : b.shape;
  const [m, k] = as.slice(-2) as [number, number];
  const n = bs[bs.length - 1]!;
  if (bs[bs.length - 2] !== k) throw new RangeError('matmul(): inner dims differ');
  const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2));
  const at = (t: HostTensor, shape: readonly number[], c: readonly number[], i: number, j: number) => {
    const lead = c.length - (shape.length - 2);
    const bc = shape.slice(0, -2).map((s, d) => (s === 1 ? 0 : c[lead + d]!));
    return get({ ...t, shape }, [...bc, i, j]);
  };
  const full = build([...batch, m, n], 'float32', (c) => {
    const bc = c.slice(0, -2);
    const [i, j] = c.slice(-2) as [number, number];
    let acc = 0;
    for (let p = 0; p < k; p++) acc += at(a, as, bc, i, p) * at(b, bs, bc, p, j);
    return acc;
  });
  const shape = [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [n])];
  return { ...full, shape };
}

export interface Conv2dOptions {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** Zero padding takes part in the products (0 * Inf is NaN), as torch's im2col does. */
export function conv2d(x: HostTensor, w: HostTensor, bias: HostTensor | undefined, o: Conv2dOptions): HostTensor {
  const [batch, , h, wd] = x.shape as [number, number, number, number];
  const [cout, cg, kh, kw] = w.shape as [number, number, number, number];
  const outSize = (n: number, k: number, d: 0 | 1) => Math.floor((n + 2 * o.padding[d] - o.dilation[d] * (k - 1) - 1) / o.stride[d]) + 1;
  const xAt = (b: number, c: number, i: number, j: number) => (i < 0 || j < 0 || i >= h || j >= wd ? 0 : get(x, [b, c, i, j]));
  const perGroup = cout / o.groups;
  return build([batch, cout, outSize(h, kh, 0), outSize(wd, kw, 1)], 'float32', ([b, oc, i, j]) => {
    const g = Math.floor(oc! / perGroup);
    let acc = bias ? bias.data[oc!]! : 0;
    for (let c = 0; c < cg; c++) {
      for (let u = 0; u < kh; u++) {
        for (let v = 0; v < kw; v++) {
          acc += xAt(b!, g * cg + c, i! * o.stride[0] - o.padding[0] + u * o.dilation[0], j! * o.stride[1] - o.padding[1] + v * o.dilation[1]) * get(w, [oc!, c, u, v]);
        }
      }
    }
    return acc;
  });
}

export interface PoolOptions {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly ceilMode: boolean;
}

/** torch's pooling_output_shape: in ceil mode the last window must start inside the input or left padding. */
function poolOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let out = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

/** The window of output (oi, oj): taps inside the input, and the padded-window size avg divides by. */
function windows(x: HostTensor, o: PoolOptions, fn: (taps: number[], paddedSize: number) => number): HostTensor {
  const [batch, channels, h, w] = x.shape as [number, number, number, number];
  const oh = poolOut(h, o.kernel[0], o.stride[0], o.padding[0], o.dilation[0], o.ceilMode);
  const ow = poolOut(w, o.kernel[1], o.stride[1], o.padding[1], o.dilation[1], o.ceilMode);
  return build([batch, channels, oh, ow], 'float32', ([b, c, i, j]) => {
    const taps: number[] = [];
    const i0 = i! * o.stride[0] - o.padding[0];
    const j0 = j! * o.stride[1] - o.padding[1];
    for (let u = 0; u < o.kernel[0]; u++) {
      for (let v = 0; v < o.kernel[1]; v++) {
        const [y, z] = [i0 + u * o.dilation[0], j0 + v * o.dilation[1]];
        if (y >= 0 && z >= 0 && y < h && z < w) taps.push(get(x, [b!, c!, y, z]));
      }
    }
    const padded = (Math.min(i0 + o.kernel[0], h + o.padding[0]) - i0) * (Math.min(j0 + o.kernel[1], w + o.padding[1]) - j0);
    return fn(taps, padded);
  });
}

/** Max over the window's taps; NaN wins, as in torch. */
export const maxPool2d = (x: HostTensor, o: PoolOptions): HostTensor =>
  windows(x, o, (taps) => taps.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.max(m, v)), -Infinity));

export const avgPool2d = (x: HostTensor, o: PoolOptions, countIncludePad: boolean): HostTensor =>
  windows(x, o, (taps, padded) => (taps.length === 0 ? 0 : total(taps) / (countIncludePad ? padded : taps.length)));

export function gather(x: HostTensor, dim: number, index: HostTensor): HostTensor {
  const d = normDim(dim, x.shape.length);
  return build(index.shape, x.dtype, (c) => get(x, c.map((v, i) => (i === d ? get(index, c) : v))));
}

export function scatterAdd(x: HostTensor, dim: number, index: HostTensor, src: HostTensor): HostTensor {
  const d = normDim(dim, x.shape.length);
  const out = x.data.slice();
  const strides = stridesOf(x.shape);
  for (let p = 0; p < numel(index.shape); p++) {
    const c = coordsOf(index.shape, p);
    const target = c.reduce((o, v, i) => o + (i === d ? get(index, c) : v) * strides[i]!, 0);
    out[target] = out[target]! + get(src, c);
  }
  return { shape: x.shape, dtype: x.dtype, data: out };
}

export function cat(xs: readonly HostTensor[], dim: number): HostTensor {
  const d = normDim(dim, xs[0]!.shape.length);
  const starts: number[] = [];
  let size = 0;
  for (const t of xs) {
    starts.push(size);
    size += t.shape[d]!;
  }
  return build(xs[0]!.shape.map((n, i) => (i === d ? size : n)), xs[0]!.dtype, (c) => {
    let k = xs.length - 1;
    while (starts[k]! > c[d]!) k--;
    return get(xs[k]!, c.map((v, i) => (i === d ? v - starts[k]! : v)));
  });
}

export function stack(xs: readonly HostTensor[], dim: number): HostTensor {
  const rank = xs[0]!.shape.length + 1;
  const d = dim < 0 ? dim + rank : dim;
  const shape = [...xs[0]!.shape.slice(0, d), xs.length, ...xs[0]!.shape.slice(d)];
  return build(shape, xs[0]!.dtype, (c) => get(xs[c[d]!]!, c.filter((_, i) => i !== d)));
}
