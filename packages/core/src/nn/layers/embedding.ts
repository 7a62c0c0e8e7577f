import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { normal_ } from '../init.ts';
import { embedding, resolvePaddingIdx } from '../functional/embedding.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger } from '../../options/check-values.ts';

/** Embedding tables' default, as torch: N(0, 1), with the padding row (if any) zero. */
export function resetEmbeddingTable(weight: Tensor, paddingIdx: number | null): void {
  normal_(weight);
  if (paddingIdx === null) return;
  noGrad(() => {
    const row = weight.select(0, paddingIdx);
    row.zero_();
    row.dispose();
  });
}

export interface EmbeddingLayerOptions {
  /** A row that starts at zero and receives no gradient, e.g. for padding tokens (negative counts from the end). */
  paddingIdx?: number | null;
}

const EMBEDDING_LAYER_OPTIONS: OptionKeys<EmbeddingLayerOptions> = { paddingIdx: true };

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, as torch.nn.Embedding: int32
 * indices of any shape give [...shape, embeddingDim]. The weight starts N(0, 1).
 * @example new nn.Embedding(10000, 256, { paddingIdx: 0 }).forward(tokens) // [batch, seq, 256]
 */
export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingLayerOptions = {},
  ) {
    checkOptions('Embedding', options, EMBEDDING_LAYER_OPTIONS);
    checkInteger('Embedding', 'num_embeddings', numEmbeddings, 1);
    checkInteger('Embedding', 'embedding_dim', embeddingDim, 1);
    super();
    this.paddingIdx = resolvePaddingIdx('Embedding', options.paddingIdx, numEmbeddings);
    this.weight = parameter(this, [numEmbeddings, embeddingDim]);
    this.resetParameters();
  }

  /** Draws N(0, 1) again and zeroes the padding row. */
  resetParameters(): void {
    resetEmbeddingTable(this.weight, this.paddingIdx);
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
