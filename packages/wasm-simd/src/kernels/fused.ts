import { adamScalars, numel, sgdScalars, type AdamHyper, type FusedKernels, type SgdHyper, type Storage, type View } from '@flint/core';
import type { Runtime } from '../runtime.ts';

/** Softmax (log-softmax when `log`) of float32 `x` along `axis`, one line per position of the other axes. */
function softmax(rt: Runtime, x: View, axis: number, log: boolean): Storage {
  const out = rt.output(x.shape, 'float32');
  const xOp = rt.operand(x);
  const without = <T>(values: readonly T[]) => values.filter((_, d) => d !== axis);
  const p = rt.rows(without(x.shape), [{ ...out.operand, strides: without(out.operand.strides) }, { ...xOp, strides: without(x.strides) }]);
  rt.extra([x.shape[axis]!, out.operand.strides[axis]! * 4, x.strides[axis]! * 4]);
  rt.k.softmax(log ? 1 : 0, p);
  return out.storage;
}

// Flag bits of assembly/fused.ts.
const MAXIMIZE = 1;
const DECAY = 2;
const DECOUPLED = 4;
const MOMENTUM = 8;
const NESTEROV = 16;
const NEW_BUFFER = 32;
const AMSGRAD = 64;

/** Byte address of a contiguous float32 view's first element. */
function address(rt: Runtime, view: View): number {
  return rt.storage(view).ptr + view.offset * 4;
}

function sgdStep(rt: Runtime, param: View, grad: View, buf: View | undefined, h: SgdHyper): void {
  const flags =
    (h.maximize ? MAXIMIZE : 0) | (h.weightDecay !== 0 ? DECAY : 0) | (buf ? MOMENTUM : 0) |
    (h.nesterov ? NESTEROV : 0) | (h.newBuffer ? NEW_BUFFER : 0);
  const s = sgdScalars(h);
  rt.k.sgdStep(address(rt, param), address(rt, grad), buf ? address(rt, buf) : 0, numel(param.shape), flags, s.negLr, s.decay, s.momentum, s.damped);
}

function adamStep(rt: Runtime, param: View, grad: View, m: View, v: View, vmax: View | undefined, h: AdamHyper): void {
  const flags = (h.maximize ? MAXIMIZE : 0) | (h.decoupled ? DECOUPLED : h.weightDecay !== 0 ? DECAY : 0) | (vmax ? AMSGRAD : 0);
  const s = adamScalars(h);
  rt.k.adamStep(
    address(rt, param), address(rt, grad), address(rt, m), address(rt, v), vmax ? address(rt, vmax) : 0, numel(param.shape), flags,
    s.decay, s.beta1, s.rest1, s.beta2, s.rest2, s.bc2Sqrt, s.eps, s.negStep,
  );
}

/** The fused kernels of the wasm-simd backend. */
export function fusedKernels(rt: Runtime): FusedKernels {
  return {
    softmax: (x, axis, log) => softmax(rt, x, axis, log),
    sgdStep: (param, grad, buf, hyper) => sgdStep(rt, param, grad, buf, hyper),
    adamStep: (param, grad, m, v, vmax, hyper) => adamStep(rt, param, grad, m, v, vmax, hyper),
  };
}
