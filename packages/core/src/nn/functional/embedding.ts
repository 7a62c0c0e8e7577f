import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { embedding as lookup } from '../../ops/indexing.ts';
import { eq } from '../../ops/compare.ts';
import { where } from '../../ops/elementwise.ts';
import { detach, unsqueeze } from '../../ops/view.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';
import { traced } from '../../trace/state.ts';

export interface EmbeddingOptions {
  /** Index whose row gets no gradient (negative counts from the end), as PyTorch's padding_idx. */
  paddingIdx?: number | null;
}

const EMBEDDING_OPTIONS: OptionKeys<EmbeddingOptions> = { paddingIdx: true };

/** `paddingIdx` as a row index of a table with `rows` rows, or null. */
export function resolvePaddingIdx(op: string, paddingIdx: number | null | undefined, rows: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new RangeError(`${op}(): Padding_idx must be within num_embeddings, got ${paddingIdx} for ${rows} embeddings`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

/**
 * Rows of `weight` [num, dim] picked by int32 `indices` of any shape, giving [...indices.shape, dim],
 * as torch.nn.functional.embedding. Positions holding `paddingIdx` pass no gradient to its row.
 */
export function embedding(indices: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  return traced('embedding', [indices, weight], options, () => {
    checkOptions('embedding', options, EMBEDDING_OPTIONS);
    checkTensors('embedding', [indices, weight]);
    const pad = resolvePaddingIdx('embedding', options.paddingIdx, weight.shape[0] ?? 0);
    if (pad === null) return lookup(indices, weight);
    return tidy(() => {
      const rows = lookup(indices, weight);
      // Same values either way; only the non-padding branch carries the gradient.
      return where(unsqueeze(eq(indices, pad), -1), detach(rows), rows);
    });
  });
}
