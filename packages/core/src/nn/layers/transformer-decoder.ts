/** The Transformer's decoder: TransformerDecoderLayer, and TransformerDecoder stacking copies of one. */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { add } from '../../ops/elementwise.ts';
import { Module } from '../module.ts';
import type { ModuleList } from './containers.ts';
import { Dropout } from './dropout.ts';
import { Linear } from './linear.ts';
import { LayerNorm } from './normalization.ts';
import { MultiheadAttention } from './attention.ts';
import { checkLayerSizes, checkNorm, clones, transformerActivation, type NormModule, type TransformerEncoderLayerOptions, TRANSFORMER_ENCODER_LAYER_OPTIONS } from './transformer-encoder.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

/** TransformerDecoderLayer's settings: those of TransformerEncoderLayer. */
export type TransformerDecoderLayerOptions = TransformerEncoderLayerOptions;

export interface TransformerDecoderForwardOptions {
  /** [T, T] or [N * nhead, T, T] mask of the self-attention (true blocks; floats are added). */
  tgtMask?: Tensor | null;
  /** [T, S] or [N * nhead, T, S] mask of the attention over the memory. */
  memoryMask?: Tensor | null;
  /** [N, T]: true marks padding positions of the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: true marks padding positions of the memory. */
  memoryKeyPaddingMask?: Tensor | null;
  /** The self-attention is causal when no `tgtMask` is given. */
  tgtIsCausal?: boolean;
  /** The attention over the memory is causal when no `memoryMask` is given. */
  memoryIsCausal?: boolean;
}

export const TRANSFORMER_DECODER_FORWARD_OPTIONS: OptionKeys<TransformerDecoderForwardOptions> = {
  tgtMask: true, memoryMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true, tgtIsCausal: true, memoryIsCausal: true,
};

/**
 * Self-attention, attention over the encoder's output (`memory`) and a feed-forward block, each with
 * a residual connection and LayerNorm, as torch.nn.TransformerDecoderLayer (same submodules and
 * state-dict keys: `self_attn`, `multihead_attn`, `linear1`, `linear2`, `norm1`..`norm3`).
 * @example
 * const layer = new nn.TransformerDecoderLayer(64, 4, { dimFeedforward: 256 });
 * const out = layer.forward(tgt, memory, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[0]) });
 */
export class TransformerDecoderLayer extends Module {
  selfAttn: MultiheadAttention;
  multiheadAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  readonly activation: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, options: TransformerDecoderLayerOptions = {}) {
    checkOptions('TransformerDecoderLayer', options, TRANSFORMER_ENCODER_LAYER_OPTIONS);
    // Checked before any parameter is made, so that a bad name leaks nothing.
    const activation = transformerActivation('TransformerDecoderLayer', options.activation);
    super();
    const p = options.dropout ?? 0.1;
    const ff = options.dimFeedforward ?? 2048;
    const eps = options.layerNormEps ?? 1e-5;
    checkLayerSizes('TransformerDecoderLayer', dModel, nhead, ff, eps, p);
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst });
    this.multiheadAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst });
    this.linear1 = new Linear(dModel, ff);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel);
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps });
    this.norm2 = new LayerNorm(dModel, { eps });
    this.norm3 = new LayerNorm(dModel, { eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
    this.activation = activation;
  }

  /** Decodes `tgt` [T, N, E] attending over `memory` [S, N, E] ([N, T, E] and [N, S, E] with `batchFirst`). */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoderLayer.forward', options, TRANSFORMER_DECODER_FORWARD_OPTIONS);
    const selfAttend = (x: Tensor): Tensor => {
      const [out] = this.selfAttn.forward(x, x, x, { attnMask: options.tgtMask, keyPaddingMask: options.tgtKeyPaddingMask, isCausal: options.tgtIsCausal, needWeights: false });
      return this.dropout1.forward(out);
    };
    const crossAttend = (x: Tensor): Tensor => {
      const [out] = this.multiheadAttn.forward(x, memory, memory, { attnMask: options.memoryMask, keyPaddingMask: options.memoryKeyPaddingMask, isCausal: options.memoryIsCausal, needWeights: false });
      return this.dropout2.forward(out);
    };
    const feedForward = (x: Tensor): Tensor => this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
    return tidy(() => {
      let x = tgt;
      for (const [block, norm] of [[selfAttend, this.norm1], [crossAttend, this.norm2], [feedForward, this.norm3]] as const) {
        x = this.normFirst ? add(x, block(norm.forward(x))) : norm.forward(add(x, block(x)));
      }
      return x;
    });
  }
}

/** A layer TransformerDecoder can stack: TransformerDecoderLayer or a module with its forward. */
export type DecoderLayerModule = Module & { forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor };

export interface TransformerDecoderOptions {
  /** Applied to the last layer's output (none by default). */
  norm?: NormModule | null;
}

const TRANSFORMER_DECODER_OPTIONS: OptionKeys<TransformerDecoderOptions> = { norm: true };

/**
 * `numLayers` decoder layers run in turn, then an optional `norm`, as torch.nn.TransformerDecoder:
 * each layer is a deep copy of `decoderLayer` (keys `layers.0.multihead_attn.in_proj_weight`, ...,
 * `norm.weight`), which stays the caller's to dispose.
 * @example
 * const decoder = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(64, 4), 6, { norm: new nn.LayerNorm(64) });
 * const out = decoder.forward(tgt, memory, { tgtMask });
 */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: NormModule | null;

  constructor(decoderLayer: DecoderLayerModule, numLayers: number, options: TransformerDecoderOptions = {}) {
    checkOptions('TransformerDecoder', options, TRANSFORMER_DECODER_OPTIONS);
    checkNorm('TransformerDecoder', options.norm);
    super();
    this.layers = clones(decoderLayer, numLayers, 'TransformerDecoder');
    this.numLayers = numLayers;
    this.norm = options.norm ?? null;
  }

  /** Runs `tgt` through every layer, each attending over `memory`, then the norm. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    checkOptions('TransformerDecoder.forward', options, TRANSFORMER_DECODER_FORWARD_OPTIONS);
    return tidy(() => {
      let out = tgt;
      for (const layer of this.layers) out = (layer as DecoderLayerModule).forward(out, memory, options);
      return this.norm ? this.norm.forward(out) : out;
    });
  }
}
