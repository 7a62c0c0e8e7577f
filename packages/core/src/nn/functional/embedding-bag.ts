/** Sums, means or maxima of bags of embeddings, as torch.nn.functional.embedding_bag. */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { embedding as lookup } from '../../ops/indexing.ts';
import { eq, gt, logicalAnd, ne } from '../../ops/compare.ts';
import { clamp, div, mul, sub, where } from '../../ops/elementwise.ts';
import { amax, sum } from '../../ops/reduce.ts';
import { matmul } from '../../ops/linalg.ts';
import { arange } from '../../ops/creation.ts';
import { castTo } from '../../ops/cast.ts';
import { floorDivide } from '../../ops/division.ts';
import { searchsorted } from '../../ops/sort.ts';
import { reshape, unsqueeze } from '../../ops/view.ts';
import { resolvePaddingIdx } from './embedding.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

export interface EmbeddingBagOptions {
  /** Where each bag of a 1-D input starts (int32, the first 0); must be null for a 2-D input, whose rows are the bags. */
  offsets?: Tensor | null;
  /** How each bag is reduced (default 'mean'). */
  mode?: EmbeddingBagMode;
  /** A weight per index, shaped as the input, scaling its row before the sum (mode 'sum' only). */
  perSampleWeights?: Tensor | null;
  /** Read the last offset as the end of the last bag, which must be the input's length (CSR layout, as torch), rather than the start of one (default false). */
  includeLastOffset?: boolean;
  /** An index that is left out of every bag (it counts for nothing in a mean); negative counts from the end. */
  paddingIdx?: number | null;
}

const EMBEDDING_BAG_OPTIONS: OptionKeys<EmbeddingBagOptions> = {
  offsets: true, mode: true, perSampleWeights: true, includeLastOffset: true, paddingIdx: true,
};

/**
 * Reduces bags of rows of `weight` [num, dim], as torch.nn.functional.embedding_bag: the bags are
 * the rows of a 2-D int32 input [B, N], or the runs of a 1-D input that `offsets` [B] starts. Each
 * bag gives the sum, mean or max of its rows ([B, dim]); an empty bag gives zeros. Computed on the
 * device with a [B, n] bag-membership matrix (n the number of indices), so the offsets are never
 * read back: the sum and mean are one matrix product, the max a masked maximum over [B, n, dim].
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  checkOptions('embeddingBag', options, EMBEDDING_BAG_OPTIONS);
  checkTensors('embeddingBag', [input, weight]);
  const mode = options.mode ?? 'mean';
  const { offsets = null, perSampleWeights = null } = options;
  if (!['sum', 'mean', 'max'].includes(mode)) throw new RangeError(`embeddingBag(): mode has to be one of sum, mean or max, got ${mode}`);
  if (input.dtype !== 'int32') throw new TypeError(`embeddingBag(): expected int32 indices, got ${input.dtype}`);
  if (weight.ndim !== 2) throw new RangeError(`embeddingBag(): weight has to be a 2D Tensor, but got Tensor of dimension ${weight.ndim}`);
  if (perSampleWeights && mode !== 'sum') {
    throw new RangeError(`embeddingBag(): embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  if (perSampleWeights && !shapeEquals(perSampleWeights.shape, input.shape)) {
    throw new RangeError(`embeddingBag(): embedding_bag: If per_sample_weights (${formatShape(perSampleWeights.shape)}) is not None, then it must have the same shape as the input (${formatShape(input.shape)})`);
  }
  if (input.ndim === 2 && offsets) {
    throw new RangeError('embeddingBag(): if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences.');
  }
  if (input.ndim === 1 && (!offsets || offsets.ndim !== 1)) throw new RangeError(`embeddingBag(): offsets has to be a 1D Tensor but got ${offsets ? `${offsets.ndim}D` : 'None'}`);
  if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`embeddingBag(): input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
  if (offsets && offsets.dtype !== 'int32') throw new TypeError(`embeddingBag(): expected int32 offsets, got ${offsets.dtype}`);
  const pad = resolvePaddingIdx('embeddingBag', options.paddingIdx, weight.shape[0]!);
  return tidy(() => {
    const flat = reshape(input, [-1]);
    const n = flat.size;
    const positions = arange(n, { device: input.device, dtype: 'int32' });
    const bags = input.ndim === 2 ? input.shape[0]! : offsets!.size - (options.includeLastOffset ? 1 : 0);
    // The bag of each index: its row for a 2-D input, else the last offset at or before it.
    const bagOf = input.ndim === 2 ? floorDivide(positions, input.shape[1]!) : sub(searchsorted(offsets!, positions, { right: true }), 1);
    let member = eq(unsqueeze(arange(bags, { device: input.device, dtype: 'int32' }), 1), unsqueeze(bagOf, 0));
    if (pad !== null) member = logicalAnd(member, unsqueeze(ne(flat, pad), 0));
    const rows = lookup(flat, weight);
    const counts = sum(castTo(member, 'float32'), 1, true);
    if (mode === 'max') {
      const maxima = amax(where(unsqueeze(member, 2), unsqueeze(rows, 0), -Infinity), 1);
      return where(gt(counts, 0), maxima, 0);
    }
    let mix = castTo(member, 'float32');
    if (perSampleWeights) mix = mul(mix, unsqueeze(reshape(perSampleWeights, [-1]), 0));
    if (mode === 'mean') mix = div(mix, clamp(counts, 1, null));
    return matmul(mix, rows);
  });
}
