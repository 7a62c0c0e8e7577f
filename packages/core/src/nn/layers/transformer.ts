/** The whole encoder-decoder Transformer of "Attention Is All You Need", as torch.nn.Transformer. */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { noGrad } from '../../autograd/mode.ts';
import { Module } from '../module.ts';
import { xavierUniform_ } from '../init.ts';
import { causalMask } from '../functional/attention.ts';
import { LayerNorm } from './normalization.ts';
import { checkLayerSizes, transformerActivation, TransformerEncoder, TransformerEncoderLayer, type TransformerActivation, type TransformerEncoderForwardOptions } from './transformer-encoder.ts';
import { TransformerDecoder, TransformerDecoderLayer, type TransformerDecoderForwardOptions } from './transformer-decoder.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

/** An encoder the Transformer can use in place of its own: TransformerEncoder's forward. */
export type EncoderModule = Module & { forward(src: Tensor, options?: TransformerEncoderForwardOptions): Tensor };
/** A decoder the Transformer can use in place of its own: TransformerDecoder's forward. */
export type DecoderModule = Module & { forward(tgt: Tensor, memory: Tensor, options?: TransformerDecoderForwardOptions): Tensor };

export interface TransformerOptions {
  /** Width of the embeddings (512 by default). */
  dModel?: number;
  /** Attention heads (8 by default). */
  nhead?: number;
  /** Encoder layers (6 by default). */
  numEncoderLayers?: number;
  /** Decoder layers (6 by default). */
  numDecoderLayers?: number;
  /** Width of each feed-forward block (2048 by default). */
  dimFeedforward?: number;
  /** Dropout throughout (0.1 by default). */
  dropout?: number;
  /** The feed-forward activation (ReLU by default). */
  activation?: TransformerActivation;
  /** Used instead of the built encoder (which is then not built). */
  customEncoder?: EncoderModule;
  /** Used instead of the built decoder. */
  customDecoder?: DecoderModule;
  /** LayerNorm eps (1e-5 by default). */
  layerNormEps?: number;
  /** Inputs and output are [N, len, E] rather than [len, N, E]. */
  batchFirst?: boolean;
  /** Pre-LN layers rather than post-LN. */
  normFirst?: boolean;
}

const TRANSFORMER_OPTIONS: OptionKeys<TransformerOptions> = {
  dModel: true, nhead: true, numEncoderLayers: true, numDecoderLayers: true, dimFeedforward: true, dropout: true, activation: true,
  customEncoder: true, customDecoder: true, layerNormEps: true, batchFirst: true, normFirst: true,
};

/** generateSquareSubsequentMask's options. */
export interface DeviceOptions {
  /** Where the mask lives (default: the default backend). */
  device?: string;
}

const DEVICE_OPTIONS: OptionKeys<DeviceOptions> = { device: true };

export interface TransformerForwardOptions {
  /** [S, S] mask of the encoder's self-attention. */
  srcMask?: Tensor | null;
  /** [T, T] mask of the decoder's self-attention, e.g. {@link Transformer.generateSquareSubsequentMask}. */
  tgtMask?: Tensor | null;
  /** [T, S] mask of the decoder's attention over the memory. */
  memoryMask?: Tensor | null;
  /** [N, S]: true marks padding in the source. */
  srcKeyPaddingMask?: Tensor | null;
  /** [N, T]: true marks padding in the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: true marks padding in the memory (normally srcKeyPaddingMask again). */
  memoryKeyPaddingMask?: Tensor | null;
}

const TRANSFORMER_FORWARD_OPTIONS: OptionKeys<TransformerForwardOptions> = {
  srcMask: true, tgtMask: true, memoryMask: true, srcKeyPaddingMask: true, tgtKeyPaddingMask: true, memoryKeyPaddingMask: true,
};

/**
 * An encoder stack and a decoder stack, each ending in a LayerNorm, as torch.nn.Transformer (same
 * state-dict keys: `encoder.layers.0.self_attn.in_proj_weight`, ..., `encoder.norm.weight`,
 * `decoder.norm.bias`). As in PyTorch, every parameter of more than one dimension is then reset
 * with xavier_uniform_.
 * @example
 * const model = new nn.Transformer({ dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, batchFirst: true });
 * const out = model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(tgt.shape[1]) });
 */
export class Transformer extends Module {
  encoder: EncoderModule;
  decoder: DecoderModule;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(options: TransformerOptions = {}) {
    checkOptions('Transformer', options, TRANSFORMER_OPTIONS);
    super();
    const dModel = options.dModel ?? 512;
    const nhead = options.nhead ?? 8;
    const eps = options.layerNormEps ?? 1e-5;
    const layerOptions = {
      dimFeedforward: options.dimFeedforward ?? 2048, dropout: options.dropout ?? 0.1, activation: options.activation, layerNormEps: eps,
      batchFirst: options.batchFirst, normFirst: options.normFirst,
    };
    // Everything is checked before the first layer is made, so a bad option leaves nothing allocated.
    checkLayerSizes('Transformer', dModel, nhead, layerOptions.dimFeedforward, eps, layerOptions.dropout);
    transformerActivation('Transformer', options.activation);
    for (const key of ['numEncoderLayers', 'numDecoderLayers'] as const) {
      const n = options[key];
      if (n !== undefined && !(Number.isInteger(n) && n >= 0)) throw new RangeError(`Transformer(): ${key} must be a non-negative integer, but got ${n}`);
    }
    // The template layers are copied into the stacks and then freed, as PyTorch drops them.
    const stack = <L extends Module, S extends Module>(make: () => L, build: (layer: L) => S): S => {
      const layer = make();
      try {
        return build(layer);
      } finally {
        layer.dispose();
      }
    };
    this.encoder = options.customEncoder ?? stack(() => new TransformerEncoderLayer(dModel, nhead, layerOptions),
      (layer) => new TransformerEncoder(layer, options.numEncoderLayers ?? 6, { norm: new LayerNorm(dModel, { eps }) }));
    this.decoder = options.customDecoder ?? stack(() => new TransformerDecoderLayer(dModel, nhead, layerOptions),
      (layer) => new TransformerDecoder(layer, options.numDecoderLayers ?? 6, { norm: new LayerNorm(dModel, { eps }) }));
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = options.batchFirst ?? false;
  }

  /** Encodes `src` [S, N, E] and decodes `tgt` [T, N, E] over it ([N, len, E] with `batchFirst`; unbatched [len, E]), giving [T, N, E]. */
  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    checkOptions('Transformer.forward', options, TRANSFORMER_FORWARD_OPTIONS);
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[batchDim] !== tgt.shape[batchDim]) throw new RangeError('Transformer(): the batch number of src and tgt must be equal');
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new RangeError('Transformer(): the feature number of src and tgt must be equal to d_model');
    }
    return tidy(() => {
      const memory = this.encoder.forward(src, { mask: options.srcMask, srcKeyPaddingMask: options.srcKeyPaddingMask });
      return this.decoder.forward(tgt, memory, {
        tgtMask: options.tgtMask, memoryMask: options.memoryMask, tgtKeyPaddingMask: options.tgtKeyPaddingMask, memoryKeyPaddingMask: options.memoryKeyPaddingMask,
      });
    });
  }

  /**
   * The [sz, sz] float mask that lets position i attend only to positions up to i: 0 on and below
   * the diagonal, -inf above, as torch.nn.Transformer.generate_square_subsequent_mask.
   * @example nn.Transformer.generateSquareSubsequentMask(3); // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
   */
  static generateSquareSubsequentMask(sz: number, options: DeviceOptions = {}): Tensor {
    checkOptions('generateSquareSubsequentMask', options, DEVICE_OPTIONS);
    if (!Number.isInteger(sz) || sz < 0) throw new RangeError(`generateSquareSubsequentMask(): sz must be a non-negative integer, got ${sz}`);
    return noGrad(() => tidy(() => causalMask(sz, sz, options.device)));
  }
}
