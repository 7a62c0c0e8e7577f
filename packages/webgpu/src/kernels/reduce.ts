/**
 * Reductions: one workgroup per output element walks the reduced elements with a stride of the
 * workgroup size, then folds its partial results in a tree through workgroup memory. Cumulative
 * sums scan one line per thread.
 */
import { numel, type ReduceOp, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import { WORKGROUP } from '../runtime.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, computeType, ELEMENT_MAIN, load, Params, store, withLibrary } from '../wgsl.ts';

type Fold = Exclude<ReduceOp, 'argmax' | 'argmin'>;

/** Identity and combining expression (of `x` and `y`) per fold and compute type. */
const FOLDS: Record<Fold, { f32: [string, string]; i32: [string, string] }> = {
  sum: { f32: ['0.0', 'x + y'], i32: ['0', 'x + y'] },
  prod: { f32: ['1.0', 'x * y'], i32: ['1', 'x * y'] },
  // fmax/fmin propagate NaN; over bool 0/1, max and min are any and all.
  max: { f32: ['-inf()', 'fmax(x, y)'], i32: ['-2147483647 - 1', 'max(x, y)'] },
  min: { f32: ['inf()', 'fmin(x, y)'], i32: ['2147483647', 'min(x, y)'] },
};

/**
 * Whether candidate (x, i) beats the best so far (y, j) for argmax/argmin: the first NaN wins
 * outright, then the extreme value, then the lower index. Partial results meet in any order, so
 * ties compare indices rather than relying on arrival order.
 */
function beatsSource(isMax: boolean, t: 'f32' | 'i32'): string {
  const cmp = isMax ? '>' : '<';
  const nan = t === 'f32' ? '  if (isNan(x)) { return !isNan(y) || i < j; }\n  if (isNan(y)) { return false; }\n' : '';
  return `fn beats(x: ${t}, i: u32, y: ${t}, j: u32) -> bool {
${nan}  return x ${cmp} y || (x == y && i < j);
}`;
}

/**
 * Parameter block: [nOut, nRed, ndK, ndR, keptShape, x.offset, keptStrides, redShape, 0, redStrides].
 * The kept axes address the start of each output's group; the reduced axes walk within it.
 */
function reduceSource(op: ReduceOp, x: View): string {
  const t = computeType(x.dtype);
  const arg = op === 'argmax' || op === 'argmin';
  const [init, combine] = arg ? [op === 'argmax' ? (t === 'f32' ? '-inf()' : '-2147483647 - 1') : t === 'f32' ? 'inf()' : '2147483647', ''] : FOLDS[op][t];
  const fold = arg
    ? `${beatsSource(op === 'argmax', t)}`
    : `fn fold(x: ${t}, y: ${t}) -> ${t} { return ${combine}; }`;
  const step = arg ? 'if (beats(v, r, acc, at)) { acc = v; at = r; }' : 'acc = fold(acc, v);';
  const merge = arg
    ? 'if (beats(sv[li + s], si[li + s], sv[li], si[li])) { sv[li] = sv[li + s]; si[li] = si[li + s]; }'
    : 'sv[li] = fold(sv[li], sv[li + s]);';
  const result = arg ? 'bitcast<u32>(i32(si[0]))' : store(x.dtype, 'sv[0]');
  return withLibrary(`${bindings([['out', 'read_write'], ['x', 'read']])}
${fold}
var<workgroup> sv: array<${t}, ${WORKGROUP}>;
var<workgroup> si: array<u32, ${WORKGROUP}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let o = wg.y * nwg.x + wg.x;
  if (o >= p[0]) { return; }
  let nRed = p[1];
  let ndK = p[2];
  let ndR = p[3];
  let base = viewOffset(o, ndK, 4u, 4u + ndK);
  var acc: ${t} = ${init};
  var at = 0xffffffffu;
  for (var r = li; r < nRed; r += ${WORKGROUP}u) {
    let v = ${load(x.dtype, 'x', 'base + viewOffset(r, ndR, 5u + 2u * ndK, 5u + 2u * ndK + ndR)')};
    ${step}
  }
  sv[li] = acc;
  si[li] = at;
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { ${merge} }
    workgroupBarrier();
  }
  if (li == 0u) { out[o] = ${result}; }
}`);
}

/** Reduces the sorted, unique `axes` of `x` away with `op`. */
export function reduce(ctx: KernelContext, op: ReduceOp, x: View, axes: readonly number[]): GpuStorage {
  const kept = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptShape = kept.map((d) => x.shape[d]!);
  const redShape = axes.map((d) => x.shape[d]!);
  const nOut = numel(keptShape);
  const out = ctx.output(op, nOut, op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype);
  const params = new Params()
    .push(nOut, numel(redShape), kept.length, axes.length, ...keptShape)
    .view({ offset: x.offset, strides: kept.map((d) => x.strides[d]!) })
    .push(...redShape)
    .view({ offset: 0, strides: axes.map((d) => x.strides[d]!) });
  const kernel = { key: `reduce:${op}:${x.dtype}`, source: () => reduceSource(op, x) };
  if (nOut > 0) ctx.rt.dispatch(op, kernel, params.toArray(), [out.region, ctx.region(x)], [...ctx.rt.grid(nOut), 1]);
  return out;
}

/** Inclusive prefix sum along `axis`: one thread per line, accumulating in its compute type. */
export function cumsum(ctx: KernelContext, x: View, axis: number): GpuStorage {
  const n = numel(x.shape);
  const len = x.shape[axis]!;
  const inner = numel(x.shape.slice(axis + 1));
  const lines = len === 0 ? 0 : n / len;
  const out = ctx.output('cumsum', n, x.dtype);
  const t = computeType(x.dtype);
  // [lines, nd, shape, x.offset, strides, len, inner, axis stride]
  const params = new Params().push(lines, x.shape.length, ...x.shape).view(x).push(len, inner, x.strides[axis]!);
  const kernel = {
    key: `cumsum:${x.dtype}`,
    source: () =>
      withLibrary(`${bindings([['out', 'read_write'], ['x', 'read']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let nd = p[1];
  let len = p[3u + 2u * nd];
  let inner = p[4u + 2u * nd];
  let step = p[5u + 2u * nd];
  let first = (i / inner) * len * inner + i % inner;
  var src = viewOffset(first, nd, 2u, 2u + nd);
  // Blocks of about sqrt(len): each value is the carried sum of the earlier blocks plus a running
  // sum within its block, so float32 rounding grows like 2 sqrt(len) rather than len.
  let block = max(1u, u32(ceil(sqrt(f32(len)))));
  var carry: ${t} = ${t}(0);
  for (var start = 0u; start < len; start += block) {
    var run: ${t} = ${t}(0);
    for (var k = start; k < min(start + block, len); k++) {
      run += ${load(x.dtype, 'x', 'src')};
      let total = carry + run;
      out[first + k * inner] = ${store(x.dtype, 'total')};
      src += step;
    }
    carry += run;
  }
}`),
  };
  ctx.run('cumsum', kernel, params.toArray(), [out.region, ctx.region(x)], lines);
  return out;
}
