/** Regression losses on the difference of input and target: squared, absolute, smooth L1 and Huber. */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { abs, mul, sub, where } from '../../ops/elementwise.ts';
import { lt } from '../../ops/compare.ts';
import { Loss, REDUCTION_OPTIONS, reduce, type ReductionOptions } from './reduction.ts';
import { checkTargetSize } from './target-size.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (1 by default; 0 gives L1). */
  beta?: number;
}

const SMOOTH_L1_OPTIONS: OptionKeys<SmoothL1Options> = { ...REDUCTION_OPTIONS, beta: true };

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (1 by default). */
  delta?: number;
}

const HUBER_OPTIONS: OptionKeys<HuberOptions> = { ...REDUCTION_OPTIONS, delta: true };

/** Mean squared error (x - y)^2, as torch.nn.functional.mse_loss. */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkOptions('mseLoss', options, REDUCTION_OPTIONS);
  checkTargetSize('mseLoss', input, target);
  return tidy(() => {
    const d = sub(input, target);
    return reduce('mseLoss', mul(d, d), options.reduction);
  });
}

/** Mean absolute error |x - y|, as torch.nn.functional.l1_loss. */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  checkOptions('l1Loss', options, REDUCTION_OPTIONS);
  checkTargetSize('l1Loss', input, target);
  return absoluteError('l1Loss', input, target, options.reduction);
}

const absoluteError = (op: string, input: Tensor, target: Tensor, reduction?: ReductionOptions['reduction']): Tensor =>
  tidy(() => reduce(op, abs(sub(input, target)), reduction));

/** `0.5 z^2 * quadratic` below `threshold`, `linear * (z - 0.5 threshold)` above, for z = |x - y|. */
function piecewise(op: string, input: Tensor, target: Tensor, threshold: number, quadratic: number, linear: number, reduction?: ReductionOptions['reduction']): Tensor {
  if (!(threshold >= 0)) throw new RangeError(`${op}(): ${op === 'huberLoss' ? 'delta' : 'beta'} must be non-negative, got ${threshold}`);
  return tidy(() => {
    const z = abs(sub(input, target));
    const loss = where(lt(z, threshold), mul(mul(z, z), 0.5 * quadratic), mul(sub(z, 0.5 * threshold), linear));
    return reduce(op, loss, reduction);
  });
}

/** Quadratic for |x - y| < beta (scaled by 1 / beta), L1 beyond, as torch.nn.functional.smooth_l1_loss. */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  checkOptions('smoothL1Loss', options, SMOOTH_L1_OPTIONS);
  checkTargetSize('smoothL1Loss', input, target);
  const beta = options.beta ?? 1;
  if (beta === 0) return absoluteError('smoothL1Loss', input, target, options.reduction);
  return piecewise('smoothL1Loss', input, target, beta, 1 / beta, 1, options.reduction);
}

/** 0.5 (x - y)^2 for |x - y| < delta, delta (|x - y| - 0.5 delta) beyond, as torch.nn.functional.huber_loss. */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  checkOptions('huberLoss', options, HUBER_OPTIONS);
  checkTargetSize('huberLoss', input, target);
  const delta = options.delta ?? 1;
  return piecewise('huberLoss', input, target, delta, 1, delta, options.reduction);
}

/** {@link mseLoss} as a module. @example new nn.MSELoss().forward(pred, y) */
export class MSELoss extends Loss<ReductionOptions> {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/** {@link l1Loss} as a module. */
export class L1Loss extends Loss<ReductionOptions> {
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/** {@link smoothL1Loss} as a module. */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  static override readonly optionKinds = { beta: 'number' } as const;
  static override readonly optionKeys = SMOOTH_L1_OPTIONS;

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/** {@link huberLoss} as a module. */
export class HuberLoss extends Loss<HuberOptions> {
  static override readonly optionKeys = HUBER_OPTIONS;
  static override readonly optionKinds = { delta: 'number' } as const;

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}
