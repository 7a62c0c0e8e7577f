/**
 * Fused kernels (core's optional `FusedKernels`): softmax in one dispatch instead of five, and the
 * SGD and Adam updates in one dispatch per parameter (two for AMSGrad) instead of one per
 * arithmetic step. Each arithmetic step rounds to float32 in the order of core's composition, and
 * the scalars are computed on the host in float64 and rounded once, as cpu-js does.
 */
import { adamScalars, numel, sgdScalars, type AdamHyper, type FusedKernels, type SgdHyper, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import { WORKGROUP } from '../runtime.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, ELEMENT_MAIN, Params, withLibrary } from '../wgsl.ts';

/**
 * Softmax shader: one workgroup per line folds the line's maximum, then its sum of exponentials,
 * through workgroup memory, then writes every element. A line whose maximum is not finite (it
 * holds NaN or +inf, or only -inf) is all NaN, as the composed path gives; writing it explicitly
 * keeps drivers whose exp or log turn NaN into a number from deciding. Parameter block:
 * [lines, len, inner, axis stride, nd, outer shape[nd], x.offset, outer strides[nd]], where the
 * outer dims are x's without the axis and `inner` is the product of the dims after it.
 */
function softmaxSource(log: boolean): string {
  const fold = (name: string, combine: string) => `fn ${name}(value: f32, li: u32) -> f32 {
  red[li] = value;
  workgroupBarrier();
  for (var s = ${WORKGROUP / 2}u; s > 0u; s >>= 1u) {
    if (li < s) { red[li] = ${combine}; }
    workgroupBarrier();
  }
  let r = red[0];
  // No thread may overwrite red[0] for the next fold before every thread has read it.
  workgroupBarrier();
  return r;
}`;
  const result = log ? 'shifted - c' : 'fexp(shifted) / c';
  return withLibrary(`${bindings([['out', 'read_write'], ['x', 'read']])}
var<workgroup> red: array<f32, ${WORKGROUP}>;
${fold('foldMax', 'fmax(red[li], red[li + s])')}
${fold('foldSum', 'red[li] + red[li + s]')}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let line = wg.y * nwg.x + wg.x;
  if (line >= p[0]) { return; }
  let len = p[1];
  let inner = p[2];
  let step = p[3];
  let nd = p[4];
  let src = viewOffset(line, nd, 5u, 5u + nd);
  let dst = (line / inner) * len * inner + line % inner;
  var m = -inf();
  for (var j = li; j < len; j += ${WORKGROUP}u) { m = fmax(m, bitcast<f32>(x[src + j * step])); }
  m = foldMax(m, li);
  var total = 0.0;
  for (var j = li; j < len; j += ${WORKGROUP}u) { total += fexp(bitcast<f32>(x[src + j * step]) - m); }
  total = foldSum(total, li);
  let c = ${log ? 'flog(total)' : 'total'};
  let finite = isFiniteBits(m);
  for (var j = li; j < len; j += ${WORKGROUP}u) {
    let shifted = bitcast<f32>(x[src + j * step]) - m;
    out[dst + j * inner] = bitcast<u32>(select(nan(), ${result}, finite));
  }
}`);
}

/** Softmax (log-softmax when `log`) of float32 `x` along `axis` into a fresh contiguous storage. */
export function softmax(ctx: KernelContext, x: View, axis: number, log: boolean): GpuStorage {
  const op = log ? 'logSoftmax' : 'softmax';
  const out = ctx.output(op, numel(x.shape), 'float32');
  const len = x.shape[axis]!;
  const lines = len === 0 ? 0 : numel(x.shape) / len;
  const without = (values: readonly number[]) => values.filter((_, d) => d !== axis);
  const params = new Params()
    .push(lines, len, numel(x.shape.slice(axis + 1)), x.strides[axis]!, x.shape.length - 1, ...without(x.shape))
    .view({ offset: x.offset, strides: without(x.strides) });
  const kernel = { key: `softmax:${log}`, source: () => softmaxSource(log) };
  if (lines > 0) ctx.rt.dispatch(op, kernel, params.toArray(), [out.region, ctx.region(x)], [...ctx.rt.grid(lines), 1]);
  return out;
}

/** Bits of the flags word (p[1]) of the optimizer kernels. */
const FLAG = { maximize: 1, decay: 2, decoupled: 4, newBuffer: 8, nesterov: 16 } as const;

/** The flags word for `hyper`'s switches. */
function flags(hyper: Partial<Record<keyof typeof FLAG, boolean>>): number {
  return Object.entries(FLAG).reduce((word, [name, bit]) => (hyper[name as keyof typeof FLAG] ? word | bit : word), 0);
}

/** Float32 bits of host scalars, for the parameter block. */
function f32Bits(...values: readonly number[]): number[] {
  return [...new Uint32Array(Float32Array.from(values).buffer)];
}

/**
 * Shared start of the optimizer shaders: `pv` is the parameter and `g` the gradient, negated when
 * maximizing, with weight decay applied (to `pv` when decoupled, else added to `g`). Parameter
 * block: [n, flags, offsets of the four bound buffers, then the float scalars from p[6]].
 */
const PROLOGUE = `${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let flags = p[1];
  let decay = bitcast<f32>(p[6]);
  var pv = bitcast<f32>(param[p[2] + i]);
  var g = bitcast<f32>(grad[p[3] + i]);
  if ((flags & ${FLAG.maximize}u) != 0u) { g = -g; }
  if ((flags & ${FLAG.decoupled}u) != 0u) { pv = pv * decay; } else if ((flags & ${FLAG.decay}u) != 0u) { g = g + pv * decay; }`;

/** SGD shader, with the momentum buffer bound when `momentum`. Scalars: [decay, -lr, momentum, 1 - dampening]. */
function sgdSource(momentum: boolean): string {
  const buffers: Array<readonly [string, 'read' | 'read_write']> = [['param', 'read_write'], ['grad', 'read']];
  if (momentum) buffers.push(['buf', 'read_write']);
  const withMomentum = `
  let mu = bitcast<f32>(p[8]);
  var b = g;
  if ((flags & ${FLAG.newBuffer}u) == 0u) { b = bitcast<f32>(buf[p[4] + i]) * mu + g * bitcast<f32>(p[9]); }
  buf[p[4] + i] = bitcast<u32>(b);
  g = select(b, g + b * mu, (flags & ${FLAG.nesterov}u) != 0u);`;
  return withLibrary(`${bindings(buffers)}
${PROLOGUE}${momentum ? withMomentum : ''}
  param[p[2] + i] = bitcast<u32>(pv + g * bitcast<f32>(p[7]));
}`);
}

/** One torch.optim.SGD update in place. */
export function sgdStep(ctx: KernelContext, param: View, grad: View, buf: View | undefined, h: SgdHyper): void {
  const n = numel(param.shape);
  const s = sgdScalars(h);
  const params = new Params()
    .push(n, flags({ ...h, decay: h.weightDecay !== 0 }), param.offset, grad.offset, buf?.offset ?? 0, 0)
    .push(...f32Bits(s.decay, s.negLr, s.momentum, s.damped));
  const kernel = { key: `sgd:${buf !== undefined}`, source: () => sgdSource(buf !== undefined) };
  ctx.run('sgdStep', kernel, params.toArray(), [param, grad, ...(buf ? [buf] : [])].map((v) => ctx.region(v)), n);
}

/** The Adam shaders: the whole update, or AMSGrad's two halves. */
type AdamPass = 'step' | 'amsgradMax' | 'amsgradStep';

/**
 * `step` binds (param, grad, expAvg, expAvgSq) and does the whole update. AMSGrad needs a fifth
 * buffer, and the package binds at most four data buffers per kernel, so it takes two
 * dispatches: `amsgradMax` binds (param read-only, grad, expAvgSq, maxExpAvgSq) and updates the
 * second moment and its running maximum, then `amsgradStep` binds (param, grad, expAvg,
 * maxExpAvgSq read-only) and does the rest. Both recompute the same `g`. Scalars: [decay, beta1,
 * 1 - beta1, beta2, 1 - beta2, sqrt(1 - beta2^step), eps, -lr / (1 - beta1^step)].
 */
function adamSource(pass: AdamPass): string {
  const f = (k: number) => `bitcast<f32>(p[${6 + k}])`;
  const firstMoment = `
  let m = bitcast<f32>(expAvg[p[4] + i]) * ${f(1)} + g * ${f(2)};
  expAvg[p[4] + i] = bitcast<u32>(m);`;
  const secondMoment = (at: number) => `
  let v = bitcast<f32>(expAvgSq[p[${at}] + i]) * ${f(3)} + (g * g) * ${f(4)};
  expAvgSq[p[${at}] + i] = bitcast<u32>(v);`;
  const update = (v: string) => `
  let denom = fsqrt(${v}) / ${f(5)} + ${f(6)};
  param[p[2] + i] = bitcast<u32>(pv + (m / denom) * ${f(7)});`;
  const passes: Record<AdamPass, { buffers: Array<readonly [string, 'read' | 'read_write']>; body: string }> = {
    step: { buffers: [['expAvg', 'read_write'], ['expAvgSq', 'read_write']], body: firstMoment + secondMoment(5) + update('v') },
    amsgradMax: {
      buffers: [['expAvgSq', 'read_write'], ['maxExpAvgSq', 'read_write']],
      body: `${secondMoment(4)}\n  maxExpAvgSq[p[5] + i] = bitcast<u32>(fmax(bitcast<f32>(maxExpAvgSq[p[5] + i]), v));`,
    },
    amsgradStep: {
      buffers: [['expAvg', 'read_write'], ['maxExpAvgSq', 'read']],
      body: `${firstMoment}\n  let vmax = bitcast<f32>(maxExpAvgSq[p[5] + i]);${update('vmax')}`,
    },
  };
  const { buffers, body } = passes[pass];
  const paramAccess = pass === 'amsgradMax' ? 'read' : 'read_write';
  return withLibrary(`${bindings([['param', paramAccess], ['grad', 'read'], ...buffers])}
${PROLOGUE}${body}
}`);
}

/** One torch.optim.Adam (or AdamW) update in place: one dispatch, two with AMSGrad. */
export function adamStep(ctx: KernelContext, param: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | undefined, h: AdamHyper): void {
  const n = numel(param.shape);
  const s = adamScalars(h);
  const scalars = f32Bits(s.decay, s.beta1, s.rest1, s.beta2, s.rest2, s.bc2Sqrt, s.eps, s.negStep);
  const word = flags({ ...h, decay: h.weightDecay !== 0 });
  const dispatch = (pass: AdamPass, views: readonly View[]) => {
    const params = new Params().push(n, word, ...views.map((v) => v.offset)).push(...scalars);
    ctx.run('adamStep', { key: `adam:${pass}`, source: () => adamSource(pass) }, params.toArray(), views.map((v) => ctx.region(v)), n);
  };
  if (!maxExpAvgSq) return dispatch('step', [param, grad, expAvg, expAvgSq]);
  dispatch('amsgradMax', [param, grad, expAvgSq, maxExpAvgSq]);
  dispatch('amsgradStep', [param, grad, expAvg, maxExpAvgSq]);
}

/** The fused kernels on `ctx`, for the backend object. */
export function fusedKernels(ctx: KernelContext): FusedKernels {
  return {
    softmax: (x, axis, log) => softmax(ctx, x, axis, log),
    sgdStep: (param, grad, buf, hyper) => sgdStep(ctx, param, grad, buf, hyper),
    adamStep: (param, grad, expAvg, expAvgSq, maxExpAvgSq, hyper) => adamStep(ctx, param, grad, expAvg, expAvgSq, maxExpAvgSq, hyper),
  };
}
