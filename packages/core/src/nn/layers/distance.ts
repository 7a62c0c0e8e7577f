import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import { cosineSimilarity, pairwiseDistance, type CosineSimilarityOptions, type PairwiseDistanceOptions, COSINE_SIMILARITY_OPTIONS, PAIRWISE_DISTANCE_OPTIONS } from '../functional/distance.ts';
import { checkOptions } from '../../options/check-options.ts';
import { checkOptionValues } from '../../options/check-values.ts';

/** The cosine of the angle between x1 and x2 along `dim` (default 1), as torch.nn.CosineSimilarity. */
export class CosineSimilarity extends Module {
  constructor(readonly options: CosineSimilarityOptions = {}) {
    checkOptions('CosineSimilarity', options, COSINE_SIMILARITY_OPTIONS);
    checkOptionValues('CosineSimilarity', options, { dim: 'integer', eps: 'number' });
    super();
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.options);
  }
}

/** The p-norm (default 2) of x1 - x2 + eps along the last dim, as torch.nn.PairwiseDistance. */
export class PairwiseDistance extends Module {
  constructor(readonly options: PairwiseDistanceOptions = {}) {
    checkOptions('PairwiseDistance', options, PAIRWISE_DISTANCE_OPTIONS);
    checkOptionValues('PairwiseDistance', options, { p: 'number', eps: 'number', keepdim: 'boolean' });
    super();
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.options);
  }
}
