/**
 * Fused softmax and optimizer steps as plain loops. Each step rounds to float32 (Math.fround) in
 * the order of core's composition of primitives, so the fused and composed paths agree.
 */
import { adamScalars, contiguousStrides, numel, sgdScalars, type AdamHyper, type SgdHyper, type View } from '@flint/core';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';

const f32 = Math.fround;

/** Softmax (log-softmax when `log`) of float32 `x` along `axis`, one line per position of the other axes. */
export function softmax(x: View, axis: number, log: boolean): Float32Array {
  const X = dataOf(x);
  const out = newArray('float32', numel(x.shape));
  const outStrides = contiguousStrides(x.shape);
  const len = x.shape[axis];
  const sx = x.strides[axis];
  const so = outStrides[axis];
  const without = <T>(values: readonly T[]) => values.filter((_, d) => d !== axis);
  const it = new RowIter(without(x.shape), [without(x.strides), without(outStrides)], [x.offset, 0]);
  const [stepX, stepO] = it.step;
  for (let r = 0; r < it.rows; r++, it.next()) {
    for (let i = 0, ix = it.at[0], io = it.at[1]; i < it.len; i++, ix += stepX, io += stepO) {
      // Math.max propagates NaN, as the max reduction does.
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, X[ix + j * sx]);
      let sum = 0;
      for (let j = 0; j < len; j++) {
        const shifted = f32(X[ix + j * sx] - m);
        const e = f32(Math.exp(shifted));
        out[io + j * so] = log ? shifted : e;
        sum += e;
      }
      const c = log ? f32(Math.log(f32(sum))) : f32(sum);
      for (let j = 0, o = io; j < len; j++, o += so) out[o] = log ? out[o] - c : out[o] / c;
    }
  }
  return out;
}

/** One torch.optim.SGD update in place over contiguous float32 views. */
export function sgdStep(param: View, grad: View, buf: View | undefined, h: SgdHyper): void {
  const [P, G] = [dataOf(param), dataOf(grad)];
  const B = buf ? dataOf(buf) : undefined;
  const [p0, g0, b0] = [param.offset, grad.offset, buf?.offset ?? 0];
  const s = sgdScalars(h);
  const [negLr, decay, momentum, damped] = [f32(s.negLr), f32(s.decay), f32(s.momentum), f32(s.damped)];
  for (let i = 0, n = numel(param.shape); i < n; i++) {
    const p = P[p0 + i];
    let d = h.maximize ? -G[g0 + i] : G[g0 + i];
    if (h.weightDecay !== 0) d = f32(d + f32(p * decay));
    if (B) {
      const b = h.newBuffer ? d : f32(f32(B[b0 + i] * momentum) + f32(d * damped));
      B[b0 + i] = b;
      d = h.nesterov ? f32(d + f32(b * momentum)) : b;
    }
    P[p0 + i] = p + f32(d * negLr);
  }
}

/** One torch.optim.Adam (or AdamW) update in place over contiguous float32 views. */
export function adamStep(param: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | undefined, h: AdamHyper): void {
  const [P, G, M, V] = [dataOf(param), dataOf(grad), dataOf(expAvg), dataOf(expAvgSq)];
  const VM = maxExpAvgSq ? dataOf(maxExpAvgSq) : undefined;
  const [p0, g0, m0, v0, vm0] = [param.offset, grad.offset, expAvg.offset, expAvgSq.offset, maxExpAvgSq?.offset ?? 0];
  const s = adamScalars(h);
  const [decay, beta1, rest1, beta2, rest2] = [f32(s.decay), f32(s.beta1), f32(s.rest1), f32(s.beta2), f32(s.rest2)];
  const [bc2Sqrt, eps, negStep] = [f32(s.bc2Sqrt), f32(s.eps), f32(s.negStep)];
  for (let i = 0, n = numel(param.shape); i < n; i++) {
    let p = P[p0 + i];
    let g = h.maximize ? -G[g0 + i] : G[g0 + i];
    if (h.decoupled) p = f32(p * decay);
    else if (h.weightDecay !== 0) g = f32(g + f32(p * decay));
    const m = f32(f32(M[m0 + i] * beta1) + f32(g * rest1));
    let v = f32(f32(V[v0 + i] * beta2) + f32(f32(g * g) * rest2));
    M[m0 + i] = m;
    V[v0 + i] = v;
    if (VM) {
      v = Math.max(VM[vm0 + i], v);
      VM[vm0 + i] = v;
    }
    const denom = f32(f32(f32(Math.sqrt(v)) / bc2Sqrt) + eps);
    P[p0 + i] = p + f32(f32(m / denom) * negStep);
  }
}
