/** Reductions that skip NaN, count, or return two statistics at once. */
import type { Tensor } from '../tensor/tensor.ts';
import { div, where } from './elementwise.ts';
import { isnan, logicalNot, ne } from './compare.ts';
import { amax, amin, mean, std, sum, variance, type VarOptions, VAR_OPTIONS } from './reduce.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** Sum over `dim` (all when omitted) counting NaN as 0; NaN elements get no gradient. */
export function nansum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  checkTensors('nansum', [x]);
  if (x.dtype !== 'float32') return sum(x, dim, keepdim);
  return tidy(() => sum(where(isnan(x), 0, x), dim, keepdim));
}

/** Mean of the non-NaN elements over `dim` (all when omitted); NaN where every element is NaN. */
export function nanmean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  checkTensors('nanmean', [x]);
  if (x.dtype !== 'float32') {
    throw new TypeError(`nanmean(): expected input to have floating point dtype but got ${x.dtype}`);
  }
  return tidy(() => div(nansum(x, dim, keepdim), sum(logicalNot(isnan(x)), dim, keepdim)));
}

/** int32 count of nonzero elements (NaN counts) over `dim`, all when omitted. */
export function countNonzero(x: Tensor, dim?: number | readonly number[]): Tensor {
  checkTensors('countNonzero', [x]);
  return tidy(() => sum(ne(x, 0), dim));
}

/** What aminmax returns, like PyTorch's named tuple. */
export interface MinMax {
  min: Tensor;
  max: Tensor;
}

export interface AminmaxOptions {
  /** The dim to reduce (default: all). */
  dim?: number;
  keepdim?: boolean;
}

const AMINMAX_OPTIONS: OptionKeys<AminmaxOptions> = { dim: true, keepdim: true };

/** The minimum and maximum over `dim` (all when omitted) in one call, as torch.aminmax. */
export function aminmax(x: Tensor, options: AminmaxOptions = {}): MinMax {
  checkTensors('aminmax', [x]);
  checkOptions('aminmax', options, AMINMAX_OPTIONS);
  const keepdim = options.keepdim ?? false;
  return { min: amin(x, options.dim, keepdim), max: amax(x, options.dim, keepdim) };
}

/** `[std, mean]` over `dim`, as torch.std_mean. */
export function stdMean(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): [Tensor, Tensor] {
  checkTensors('stdMean', [x]);
  checkOptions('stdMean', options, VAR_OPTIONS);
  return [std(x, dim, options), mean(x, dim ?? undefined, options.keepdim ?? false)];
}

/** `[var, mean]` over `dim`, as torch.var_mean. */
export function varMean(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): [Tensor, Tensor] {
  checkTensors('varMean', [x]);
  checkOptions('varMean', options, VAR_OPTIONS);
  return [variance(x, dim, options), mean(x, dim ?? undefined, options.keepdim ?? false)];
}
