/** The Transformer's encoder: TransformerEncoderLayer, and TransformerEncoder stacking copies of one. */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { add, gelu, relu } from '../../ops/elementwise.ts';
import { Module } from '../module.ts';
import { cloneModule } from '../utils/clone.ts';
import { ModuleList } from './containers.ts';
import { Dropout } from './dropout.ts';
import { Linear } from './linear.ts';
import { LayerNorm } from './normalization.ts';
import { MultiheadAttention } from './attention.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkInteger, checkNumber, checkProbability } from '../../options/check-values.ts';
import { typeName } from '../../tensor/type-name.ts';

/** A feed-forward activation of the transformer layers: a name or a function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** The activation function `activation` names, or PyTorch's error, naming `op`, for an unknown name. */
export function transformerActivation(op: string, activation: TransformerActivation = 'relu'): (x: Tensor) => Tensor {
  if (typeof activation === 'function') return activation;
  checkChoice(op, 'activation', activation, ['relu', 'gelu'], `activation should be relu/gelu, not ${String(activation)}`);
  return activation === 'relu' ? relu : (x) => gelu(x);
}

/** The sizes, eps and dropout both transformer layers take, checked before any submodule is made. */
export function checkLayerSizes(op: string, dModel: number, nhead: number, dimFeedforward: number, eps: number, dropout: number): void {
  checkInteger(op, 'd_model', dModel, 1);
  checkInteger(op, 'nhead', nhead, 1);
  checkInteger(op, 'dim_feedforward', dimFeedforward, 1);
  checkNumber(op, 'layer_norm_eps', eps);
  if (!(eps > 0 && Number.isFinite(eps))) throw new RangeError(`${op}(): layer_norm_eps must be a positive number, but got ${eps}`);
  checkProbability(op, 'dropout', dropout, 'dropout probability has to be between 0 and 1');
  if (dModel % nhead !== 0) throw new RangeError(`${op}(): embed_dim must be divisible by num_heads`);
}

/** A module normalising a tensor, as the optional final `norm` of the encoder and decoder stacks. */
export type NormModule = Module & { forward(x: Tensor): Tensor };

/** Throws under `op` unless the optional final `norm` is a Module (or null). */
export function checkNorm(op: string, norm: unknown): void {
  if (norm !== undefined && norm !== null && !(norm instanceof Module)) throw new TypeError(`${op}(): norm must be a Module, but got ${typeName(norm)}`);
}

/** `numLayers` deep copies of `layer` in a ModuleList, as torch's _get_clones; the template itself joins no stack. */
export function clones(layer: Module, numLayers: number, op: string): ModuleList {
  if (!(layer instanceof Module)) throw new TypeError(`${op}(): ${typeName(layer)} is not a Module subclass (the layer to clone)`);
  checkInteger(op, 'num_layers', numLayers, 0);
  return new ModuleList(Array.from({ length: numLayers }, () => cloneModule(layer)));
}

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (2048 by default). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (0.1 by default). */
  dropout?: number;
  /** The feed-forward activation (ReLU by default). */
  activation?: TransformerActivation;
  /** LayerNorm eps (1e-5 by default). */
  layerNormEps?: number;
  /** Inputs are [N, S, E] rather than [S, N, E]. */
  batchFirst?: boolean;
  /** Normalise before each block (pre-LN) rather than after (post-LN, the default). */
  normFirst?: boolean;
}

export const TRANSFORMER_ENCODER_LAYER_OPTIONS: OptionKeys<TransformerEncoderLayerOptions> = {
  dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, batchFirst: true, normFirst: true,
};

export interface TransformerEncoderLayerForwardOptions {
  /** [S, S] or [N * nhead, S, S] attention mask (true blocks; floats are added). */
  srcMask?: Tensor | null;
  /** [N, S]: true marks padding positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** Attend causally when no `srcMask` is given. */
  isCausal?: boolean;
}

const TRANSFORMER_ENCODER_LAYER_FORWARD_OPTIONS: OptionKeys<TransformerEncoderLayerForwardOptions> = {
  srcMask: true, srcKeyPaddingMask: true, isCausal: true,
};

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
    checkOptions('TransformerEncoderLayer', options, TRANSFORMER_ENCODER_LAYER_OPTIONS);
    // Checked before any parameter is made, so that a bad name leaks nothing.
    const activation = transformerActivation('TransformerEncoderLayer', options.activation);
    super();
    const p = options.dropout ?? 0.1;
    const ff = options.dimFeedforward ?? 2048;
    const eps = options.layerNormEps ?? 1e-5;
    checkLayerSizes('TransformerEncoderLayer', dModel, nhead, ff, eps, p);
    this.selfAttn = new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst: options.batchFirst });
    this.linear1 = new Linear(dModel, ff);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel);
    this.normFirst = options.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps });
    this.norm2 = new LayerNorm(dModel, { eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.activation = activation;
  }

  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoderLayer.forward', options, TRANSFORMER_ENCODER_LAYER_FORWARD_OPTIONS);
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

/** A layer TransformerEncoder can stack: TransformerEncoderLayer or a module with its forward. */
export type EncoderLayerModule = Module & { forward(src: Tensor, options?: TransformerEncoderLayerForwardOptions): Tensor };

export interface TransformerEncoderOptions {
  /** Applied to the last layer's output (none by default). */
  norm?: NormModule | null;
  /**
   * Only `false` is accepted. PyTorch's nested-tensor shortcut (its default) skips padded
   * positions in inference and writes zeros there; flint computes them like any other position,
   * so its outputs match PyTorch's at every position that is not padding.
   */
  enableNestedTensor?: false;
}

const TRANSFORMER_ENCODER_OPTIONS: OptionKeys<TransformerEncoderOptions> = { norm: true, enableNestedTensor: true };

export interface TransformerEncoderForwardOptions {
  /** [S, S] or [N * nhead, S, S] attention mask for every layer (true blocks; floats are added). */
  mask?: Tensor | null;
  /** [N, S]: true marks padding positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** Attend causally when no `mask` is given. */
  isCausal?: boolean;
}

const TRANSFORMER_ENCODER_FORWARD_OPTIONS: OptionKeys<TransformerEncoderForwardOptions> = { mask: true, srcKeyPaddingMask: true, isCausal: true };

/**
 * `numLayers` encoder layers run in turn, then an optional `norm`, as torch.nn.TransformerEncoder:
 * each layer is a deep copy of `encoderLayer` (state-dict keys `layers.0.self_attn.in_proj_weight`,
 * ..., `norm.weight`), which stays the caller's to dispose. Padded positions are computed like any
 * other (PyTorch's nested-tensor inference shortcut writes zeros there instead).
 * @example
 * const layer = new nn.TransformerEncoderLayer(64, 4, { batchFirst: true });
 * const encoder = new nn.TransformerEncoder(layer, 6, { norm: new nn.LayerNorm(64) });
 * const memory = encoder.forward(x, { srcKeyPaddingMask: padding });
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: NormModule | null;

  constructor(encoderLayer: EncoderLayerModule, numLayers: number, options: TransformerEncoderOptions = {}) {
    checkOptions('TransformerEncoder', options, TRANSFORMER_ENCODER_OPTIONS);
    checkNorm('TransformerEncoder', options.norm);
    super();
    if (options.enableNestedTensor !== undefined && options.enableNestedTensor !== false) {
      throw new TypeError('TransformerEncoder(): enableNestedTensor: true is not supported: flint computes padded positions like any other (PyTorch writes zeros there), so pass false or leave it out');
    }
    this.layers = clones(encoderLayer, numLayers, 'TransformerEncoder');
    this.numLayers = numLayers;
    this.norm = options.norm ?? null;
  }

  /** Runs `src` [S, N, E] ([N, S, E] with batchFirst layers; [S, E] unbatched) through every layer and the norm. */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    checkOptions('TransformerEncoder.forward', options, TRANSFORMER_ENCODER_FORWARD_OPTIONS);
    const padding = options.srcKeyPaddingMask;
    if (padding && padding.dtype !== 'bool' && padding.dtype !== 'float32') throw new TypeError('TransformerEncoder(): only bool and floating types of key_padding_mask are supported');
    return tidy(() => {
      let out = src;
      for (const layer of this.layers) out = (layer as EncoderLayerModule).forward(out, { srcMask: options.mask, srcKeyPaddingMask: padding, isCausal: options.isCausal });
      return this.norm ? this.norm.forward(out) : out;
    });
  }
}
