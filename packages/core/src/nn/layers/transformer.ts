import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { add, gelu, relu } from '../../ops/elementwise.ts';
import { Module } from '../module.ts';
import { Dropout } from './dropout.ts';
import { Linear } from './linear.ts';
import { LayerNorm } from './normalization.ts';
import { MultiheadAttention } from './attention.ts';

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (2048 by default). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (0.1 by default). */
  dropout?: number;
  /** The feed-forward activation (ReLU by default). */
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  /** LayerNorm eps (1e-5 by default). */
  layerNormEps?: number;
  /** Inputs are [N, S, E] rather than [S, N, E]. */
  batchFirst?: boolean;
  /** Normalise before each block (pre-LN) rather than after (post-LN, the default). */
  normFirst?: boolean;
}

export interface TransformerEncoderLayerForwardOptions {
  /** [S, S] or [N * nhead, S, S] attention mask (true blocks; floats are added). */
  srcMask?: Tensor | null;
  /** [N, S]: true marks padding positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** Attend causally when no `srcMask` is given. */
  isCausal?: boolean;
}

/**
 * Self-attention and a feed-forward block, each with a residual connection and LayerNorm, as
 * torch.nn.TransformerEncoderLayer (same submodules and state-dict keys).
 * @example new nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 256, batchFirst: true })
 */
export class TransformerEncoderLayer extends Module {
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly activation: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    const p = options.dropout ?? 0.1;
    const ff = options.dimFeedforward ?? 2048;
    const eps = options.layerNormEps ?? 1e-5;
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst });
    this.linear1 = new Linear(dModel, ff);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel);
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps });
    this.norm2 = new LayerNorm(dModel, { eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    const activation = options.activation ?? 'relu';
    this.activation = activation === 'relu' ? relu : activation === 'gelu' ? (x) => gelu(x) : activation;
  }

  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const attend = (x: Tensor): Tensor => {
      const [out] = this.selfAttn.forward(x, x, x, { attnMask: options.srcMask, keyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal, needWeights: false });
      return this.dropout1.forward(out);
    };
    const feedForward = (x: Tensor): Tensor => this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
    return tidy(() => {
      if (this.normFirst) {
        const x = add(src, attend(this.norm1.forward(src)));
        return add(x, feedForward(this.norm2.forward(x)));
      }
      const x = this.norm1.forward(add(src, attend(src)));
      return this.norm2.forward(add(x, feedForward(x)));
    });
  }
}
