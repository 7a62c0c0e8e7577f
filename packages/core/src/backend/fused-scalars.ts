/**
 * The scalars a fused optimizer step multiplies by, formed in float64 from the hyper-parameters as
 * core's composed path forms them. A kernel rounds each to float32 once (see FusedKernels).
 */
import type { AdamHyper, SgdHyper } from './types.ts';

/** torch.optim.SGD's factors: `param += negLr * d`, `d += decay * param`, `buf = momentum * buf + damped * d`. */
export interface SgdScalars {
  readonly negLr: number;
  readonly decay: number;
  readonly momentum: number;
  /** 1 - dampening. */
  readonly damped: number;
}

export function sgdScalars(h: SgdHyper): SgdScalars {
  return { negLr: -h.lr, decay: h.weightDecay, momentum: h.momentum, damped: 1 - h.dampening };
}

/** Adam's and AdamW's factors, in the order the kernels take them. */
export interface AdamScalars {
  /** `weightDecay`, or AdamW's parameter factor `1 - lr * weightDecay`. */
  readonly decay: number;
  readonly beta1: number;
  /** 1 - beta1. */
  readonly rest1: number;
  readonly beta2: number;
  /** 1 - beta2. */
  readonly rest2: number;
  /** sqrt(1 - beta2 ** step), the second moment's bias correction. */
  readonly bc2Sqrt: number;
  readonly eps: number;
  /** -lr / (1 - beta1 ** step), the bias-corrected step. */
  readonly negStep: number;
}

export function adamScalars(h: AdamHyper): AdamScalars {
  return {
    decay: h.decoupled ? 1 - h.lr * h.weightDecay : h.weightDecay,
    beta1: h.beta1,
    rest1: 1 - h.beta1,
    beta2: h.beta2,
    rest2: 1 - h.beta2,
    bc2Sqrt: Math.sqrt(1 - h.beta2 ** h.step),
    eps: h.eps,
    negStep: -(h.lr / (1 - h.beta1 ** h.step)),
  };
}
