/** Similarities and distances between paired rows, as torch.nn.functional.cosine_similarity and pairwise_distance. */
import type { Tensor } from '../../tensor/tensor.ts';
import { broadcastShapes, formatShape } from '../../tensor/shape.ts';
import { expand } from '../../ops/view.ts';
import { tidy } from '../../memory/scope.ts';
import { add, clamp, div, mul, sub } from '../../ops/elementwise.ts';
import { sum } from '../../ops/reduce.ts';
import { vectorNorm } from '../../ops/norm.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export interface CosineSimilarityOptions {
  /** The dim the vectors lie along (default 1). */
  dim?: number;
  /** Lower bound on each vector's norm, so that zero vectors give 0 (default 1e-8). */
  eps?: number;
}

export const COSINE_SIMILARITY_OPTIONS: OptionKeys<CosineSimilarityOptions> = { dim: true, eps: true };

/**
 * x1 . x2 / (max(|x1|, eps) max(|x2|, eps)) along `dim`, x1 and x2 broadcast together, as
 * torch.nn.functional.cosine_similarity.
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  checkTensors('cosineSimilarity', [x1, x2]);
  checkOptions('cosineSimilarity', options, COSINE_SIMILARITY_OPTIONS);
  const dim = options.dim ?? 1;
  const eps = options.eps ?? 1e-8;
  const shape = broadcastShapes('cosineSimilarity', x1.shape, x2.shape);
  return tidy(() => {
    // Both at the common shape, so that `dim` names the same dim of each.
    const [a, b] = [expand(x1, shape), expand(x2, shape)];
    const norms = mul(clamp(vectorNorm(a, 2, { dim }), eps, null), clamp(vectorNorm(b, 2, { dim }), eps, null));
    return div(sum(mul(a, b), dim), norms);
  });
}

export interface PairwiseDistanceOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** Added to the difference, so that the norm's gradient stays finite at equal rows (default 1e-6). */
  eps?: number;
  /** Keep the reduced last dim (default false). */
  keepdim?: boolean;
}

export const PAIRWISE_DISTANCE_OPTIONS: OptionKeys<PairwiseDistanceOptions> = { p: true, eps: true, keepdim: true };

/** The p-norm of x1 - x2 + eps along the last dim, as torch.nn.functional.pairwise_distance. */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: PairwiseDistanceOptions = {}): Tensor {
  checkTensors('pairwiseDistance', [x1, x2]);
  checkOptions('pairwiseDistance', options, PAIRWISE_DISTANCE_OPTIONS);
  const ndim = Math.max(x1.ndim, x2.ndim);
  if (ndim === 0) throw new RangeError(`pairwiseDistance(): expected inputs with at least 1 dim, got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`);
  broadcastShapes('pairwiseDistance', x1.shape, x2.shape);
  return tidy(() => vectorNorm(add(sub(x1, x2), options.eps ?? 1e-6), options.p ?? 2, { dim: -1, keepdim: options.keepdim ?? false }));
}
