import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { tidy } from '../../memory/scope.ts';
import { transpose } from '../../ops/view.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { xavierNormal_, xavierUniform_, zeros_ } from '../init.ts';
import { multiHeadAttentionForward, type MultiHeadAttentionOptions, MULTI_HEAD_ATTENTION_OPTIONS } from '../functional/attention.ts';
import { parameter } from './factory.ts';
import { Linear } from './linear.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues } from '../../options/check-values.ts';

export interface MultiheadAttentionLayerOptions {
  /** Dropout on the attention weights in training (0 by default). */
  dropout?: number;
  /** Learn biases in the input and output projections (default true). */
  bias?: boolean;
  /** Learn a key and a value (`bias_k`, `bias_v` [1, 1, E]) appended to every key and value sequence (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value to every sequence, after `addBiasKv`'s (default false). */
  addZeroAttn?: boolean;
  /** Width of the keys (embedDim by default); another width gives separate projection weights. */
  kdim?: number;
  /** Width of the values (embedDim by default); another width gives separate projection weights. */
  vdim?: number;
  /** Inputs and output are [N, L, E] rather than the default time-first [L, N, E]. */
  batchFirst?: boolean;
  generator?: Generator;
}

const MULTIHEAD_ATTENTION_LAYER_OPTIONS: OptionKeys<MultiheadAttentionLayerOptions> = {
  dropout: true, bias: true, addBiasKv: true, addZeroAttn: true, kdim: true, vdim: true, batchFirst: true, generator: true,
};

/** The output projection; PyTorch's class name for it, so reprs match. */
export class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * Multi-head attention, as torch.nn.MultiheadAttention, with PyTorch's parameters and names:
 * `in_proj_weight` [3E, E] (query, key and value projections stacked) or, when `kdim` or `vdim`
 * differs from `embedDim`, `q_proj_weight` [E, E], `k_proj_weight` [E, kdim] and `v_proj_weight`
 * [E, vdim]; `in_proj_bias` [3E]; `bias_k` and `bias_v` [1, 1, E] with `addBiasKv`; and the
 * `out_proj` Linear. `forward` returns `[output, weights]` (weights null unless `needWeights`).
 * @example
 * const attn = new nn.MultiheadAttention(64, 8, { batchFirst: true });
 * const [out, weights] = attn.forward(x, x, x, { keyPaddingMask: padding }); // self-attention
 * const cross = new nn.MultiheadAttention(64, 8, { kdim: 32, vdim: 16 }); // keys 32 wide, values 16
 */
export class MultiheadAttention extends Module {
  // Declared in PyTorch's registration order, which orders the state dict.
  inProjWeight: Parameter | null = null;
  qProjWeight: Parameter | null = null;
  kProjWeight: Parameter | null = null;
  vProjWeight: Parameter | null = null;
  inProjBias: Parameter | null;
  biasK: Parameter | null = null;
  biasV: Parameter | null = null;
  outProj: Linear;
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly addZeroAttn: boolean;
  readonly batchFirst: boolean;
  readonly generator: Generator | undefined;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionLayerOptions = {},
  ) {
    checkOptions('MultiheadAttention', options, MULTIHEAD_ATTENTION_LAYER_OPTIONS);
    // PyTorch's own failure for a size of 0 or -1 comes later and names another op.
    checkInteger('MultiheadAttention', 'embed_dim', embedDim, 1);
    checkInteger('MultiheadAttention', 'num_heads', numHeads, 1);
    checkOptionValues('MultiheadAttention', options, { dropout: 'probability', bias: 'boolean', addBiasKv: 'boolean', addZeroAttn: 'boolean', kdim: 'positive integer', vdim: 'positive integer', batchFirst: 'boolean' });
    super();
    this.headDim = embedDim / numHeads;
    if (!Number.isInteger(this.headDim)) throw new RangeError('MultiheadAttention(): embed_dim must be divisible by num_heads');
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    this.dropout = options.dropout ?? 0;
    this.addZeroAttn = options.addZeroAttn ?? false;
    this.batchFirst = options.batchFirst ?? false;
    this.generator = options.generator;
    const bias = options.bias ?? true;
    if (this.kdim === embedDim && this.vdim === embedDim) this.inProjWeight = parameter(this, [3 * embedDim, embedDim], (t) => xavierUniform_(t));
    else {
      this.qProjWeight = parameter(this, [embedDim, embedDim], (t) => xavierUniform_(t));
      this.kProjWeight = parameter(this, [embedDim, this.kdim], (t) => xavierUniform_(t));
      this.vProjWeight = parameter(this, [embedDim, this.vdim], (t) => xavierUniform_(t));
    }
    this.inProjBias = bias ? parameter(this, [3 * embedDim], zeros_) : null;
    this.outProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias });
    if (this.outProj.bias) zeros_(this.outProj.bias);
    if (options.addBiasKv) {
      this.biasK = parameter(this, [1, 1, embedDim], (t) => xavierNormal_(t));
      this.biasV = parameter(this, [1, 1, embedDim], (t) => xavierNormal_(t));
    }
  }

  /**
   * Attends `query` [L, N, E] over `key` [S, N, kdim] and `value` [S, N, vdim] ([N, L, E] with
   * `batchFirst`; [L, E] unbatched). Masks use PyTorch's convention: true (bool) blocks, floats are added to the scores.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiHeadAttentionOptions = {}): [Tensor, Tensor | null] {
    checkOptions('MultiheadAttention.forward', options, MULTI_HEAD_ATTENTION_OPTIONS);
    const swap = this.batchFirst && query.ndim === 3;
    return tidy(() => {
      const [q, k, v] = [query, key, value].map((t) => (swap ? transpose(t, 0, 1) : t)) as [Tensor, Tensor, Tensor];
      const params = {
        numHeads: this.numHeads,
        inProjWeight: this.inProjWeight,
        inProjBias: this.inProjBias,
        useSeparateProjWeight: this.inProjWeight === null,
        qProjWeight: this.qProjWeight,
        kProjWeight: this.kProjWeight,
        vProjWeight: this.vProjWeight,
        biasK: this.biasK,
        biasV: this.biasV,
        addZeroAttn: this.addZeroAttn,
        outProjWeight: this.outProj.weight,
        outProjBias: this.outProj.bias,
        dropoutP: this.dropout,
        training: this.training,
        generator: this.generator,
      };
      const [out, weights] = multiHeadAttentionForward(q, k, v, params, options);
      return [swap ? transpose(out, 0, 1) : out, weights];
    });
  }
}
