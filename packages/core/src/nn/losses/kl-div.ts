import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { div, exp, log, mul, sub, where } from '../../ops/elementwise.ts';
import { gt } from '../../ops/compare.ts';
import { sum } from '../../ops/reduce.ts';
import { Loss, checkReduction, reduce, type Reduction } from './reduction.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export interface KLDivOptions {
  /** 'batchmean' divides the sum by the batch size (the true KL divergence); 'mean' (default) averages every element. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. */
  logTarget?: boolean;
}

const KL_DIV_OPTIONS: OptionKeys<KLDivOptions> = { reduction: true, logTarget: true };

/**
 * KL divergence of the target distribution from log-probabilities `input`, pointwise
 * target * (log(target) - input), as torch.nn.functional.kl_div; a zero target contributes 0.
 * @example nn.functional.klDiv(logq, p, { reduction: 'batchmean' })
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  checkTensors('klDiv', [input, target]);
  checkOptions('klDiv', options, KL_DIV_OPTIONS);
  const reduction = checkReduction('klDiv', options.reduction ?? 'mean', ['mean', 'sum', 'none', 'batchmean']);
  return tidy(() => {
    const pointwise = options.logTarget
      ? mul(exp(target), sub(target, input))
      : // log of 1 where the target is 0 keeps 0 * log(0) at 0, and its gradient finite.
        mul(target, sub(log(where(gt(target, 0), target, 1)), input));
    if (reduction !== 'batchmean') return reduce('klDiv', pointwise, reduction);
    return input.ndim === 0 ? sum(pointwise) : div(sum(pointwise), input.shape[0]!);
  });
}

/** {@link klDiv} as a module. @example new nn.KLDivLoss({ reduction: 'batchmean' }) */
export class KLDivLoss extends Loss<KLDivOptions> {
  static override readonly optionKeys = KL_DIV_OPTIONS;
  static override readonly optionKinds = { logTarget: 'boolean' } as const;
  static override readonly reductions: readonly string[] = ['mean', 'sum', 'none', 'batchmean'];

  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
