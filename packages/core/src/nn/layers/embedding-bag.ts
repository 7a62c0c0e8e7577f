import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { resolvePaddingIdx } from '../functional/embedding.ts';
import { embeddingBag, type EmbeddingBagMode } from '../functional/embedding-bag.ts';
import { parameter } from './factory.ts';
import { resetEmbeddingTable } from './embedding.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';

export interface EmbeddingBagLayerOptions {
  /** How each bag is reduced: 'sum', 'mean' (the default) or 'max'. */
  mode?: EmbeddingBagMode;
  /** Read the last offset as the end of the last bag, which must be the input's length (CSR layout, as torch); default false. */
  includeLastOffset?: boolean;
  /** An index left out of every bag; its row starts at zero (negative counts from the end). */
  paddingIdx?: number | null;
  /** torch's max_norm renormalisation: not supported (throws when set). */
  maxNorm?: number | null;
  /** torch's scale_grad_by_freq: not supported (throws when true). */
  scaleGradByFreq?: boolean;
  /** torch's sparse gradients: not supported (throws when true). */
  sparse?: boolean;
}

const EMBEDDING_BAG_LAYER_OPTIONS: OptionKeys<EmbeddingBagLayerOptions> = {
  mode: true, includeLastOffset: true, paddingIdx: true, maxNorm: true, scaleGradByFreq: true, sparse: true,
};

/**
 * Sums, means or maxima of bags of embeddings without materialising the [bag, index, dim]
 * lookups for sum and mean, as torch.nn.EmbeddingBag. The weight [numEmbeddings, embeddingDim]
 * starts N(0, 1).
 * @example new nn.EmbeddingBag(10, 3, { mode: 'sum' }).forward(indices, offsets) // [offsets.size, 3]
 */
export class EmbeddingBag extends Module {
  weight: Parameter;
  readonly mode: EmbeddingBagMode;
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingBagLayerOptions = {},
  ) {
    checkOptions('EmbeddingBag', options, EMBEDDING_BAG_LAYER_OPTIONS);
    checkInteger('EmbeddingBag', 'num_embeddings', numEmbeddings, 1);
    checkInteger('EmbeddingBag', 'embedding_dim', embeddingDim, 1);
    checkOptionValues('EmbeddingBag', options, { includeLastOffset: 'boolean' });
    super();
    for (const option of ['maxNorm', 'scaleGradByFreq', 'sparse'] as const) {
      if (options[option] !== undefined && options[option] !== null && options[option] !== false) throw new RangeError(`EmbeddingBag(): the ${option} option is not supported`);
    }
    this.mode = options.mode ?? 'mean';
    if (!['sum', 'mean', 'max'].includes(this.mode)) throw new RangeError(`EmbeddingBag(): mode has to be one of sum, mean or max, got ${this.mode}`);
    this.includeLastOffset = options.includeLastOffset ?? false;
    this.paddingIdx = resolvePaddingIdx('EmbeddingBag', options.paddingIdx, numEmbeddings);
    this.weight = parameter(this, [numEmbeddings, embeddingDim]);
    this.resetParameters();
  }

  /** Draws N(0, 1) again and zeroes the padding row. */
  resetParameters(): void {
    resetEmbeddingTable(this.weight, this.paddingIdx);
  }

  /** Bags of int32 `input`: its rows when 2-D, else the runs that `offsets` start; `perSampleWeights` scale each index in mode 'sum'. */
  forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, { offsets, perSampleWeights, mode: this.mode, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
