import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { tidy } from '../../memory/scope.ts';
import { transpose } from '../../ops/view.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { xavierUniform_, zeros_ } from '../init.ts';
import { multiHeadAttentionForward, type MultiHeadAttentionOptions } from '../functional/attention.ts';
import { parameter } from './factory.ts';
import { Linear } from './linear.ts';

export interface MultiheadAttentionLayerOptions {
  /** Dropout on the attention weights in training (0 by default). */
  dropout?: number;
  /** Learn biases in the input and output projections (default true). */
  bias?: boolean;
  /** Inputs and output are [N, L, E] rather than the default time-first [L, N, E]. */
  batchFirst?: boolean;
  generator?: Generator;
}

/** The output projection; PyTorch's class name for it, so reprs match. */
export class NonDynamicallyQuantizableLinear extends Linear {}

/**
 * Multi-head attention, as torch.nn.MultiheadAttention, with PyTorch's parameters and names:
 * `in_proj_weight` [3E, E] (query, key and value projections stacked), `in_proj_bias` [3E] and the
 * `out_proj` Linear. `forward` returns `[output, weights]` (weights null unless `needWeights`).
 * @example
 * const attn = new nn.MultiheadAttention(64, 8, { batchFirst: true });
 * const [out, weights] = attn.forward(x, x, x, { keyPaddingMask: padding }); // self-attention
 */
export class MultiheadAttention extends Module {
  inProjWeight: Parameter;
  inProjBias: Parameter | null;
  outProj: Linear;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly generator: Generator | undefined;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    options: MultiheadAttentionLayerOptions = {},
  ) {
    super();
    this.headDim = embedDim / numHeads;
    if (!Number.isInteger(this.headDim)) throw new RangeError('MultiheadAttention(): embed_dim must be divisible by num_heads');
    this.dropout = options.dropout ?? 0;
    this.batchFirst = options.batchFirst ?? false;
    this.generator = options.generator;
    const bias = options.bias ?? true;
    this.inProjWeight = parameter([3 * embedDim, embedDim], (t) => xavierUniform_(t));
    this.inProjBias = bias ? parameter([3 * embedDim], zeros_) : null;
    this.outProj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias });
    if (this.outProj.bias) zeros_(this.outProj.bias);
  }

  /**
   * Attends `query` [L, N, E] over `key` and `value` [S, N, E] ([N, L, E] with `batchFirst`; [L, E]
   * unbatched). Masks use PyTorch's convention: true (bool) blocks, floats are added to the scores.
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiHeadAttentionOptions = {}): [Tensor, Tensor | null] {
    const swap = this.batchFirst && query.ndim === 3;
    return tidy(() => {
      const [q, k, v] = [query, key, value].map((t) => (swap ? transpose(t, 0, 1) : t)) as [Tensor, Tensor, Tensor];
      const params = {
        numHeads: this.numHeads,
        inProjWeight: this.inProjWeight,
        inProjBias: this.inProjBias,
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
