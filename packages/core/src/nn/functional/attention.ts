/** Scaled dot-product attention and the multi-head attention built on it. */
import type { Tensor } from '../../tensor/tensor.ts';
import type { Generator } from '../../random/generator.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { add, mul, where } from '../../ops/elementwise.ts';
import { gt } from '../../ops/compare.ts';
import { mean } from '../../ops/reduce.ts';
import { softmax } from '../../ops/softmax.ts';
import { matmul } from '../../ops/linalg.ts';
import { chunk } from '../../ops/join.ts';
import { arange } from '../../ops/creation.ts';
import { dropout } from '../../ops/dropout.ts';
import { expand, reshape, squeeze, transpose, unsqueeze } from '../../ops/view.ts';
import { linear } from './linear.ts';

export interface ScaledDotProductAttentionOptions {
  /** Bool: true where a query may attend to a key; float: added to the scores. Broadcasts to [..., L, S]. */
  attnMask?: Tensor | null;
  /** Dropout on the attention weights (applied whenever > 0; pass 0 in evaluation). */
  dropoutP?: number;
  /** Each query attends only to keys at or before its position. */
  isCausal?: boolean;
  /** Multiplies the scores; 1 / sqrt(E) by default. */
  scale?: number;
  generator?: Generator;
}

/** A mask as scores to add: bool masks become 0 / -inf (`blocked` is the bool value that blocks), float masks pass through. */
function additiveMask(op: string, mask: Tensor, blocked: boolean): Tensor {
  if (mask.dtype === 'float32') return mask;
  if (mask.dtype !== 'bool') throw new TypeError(`${op}(): only bool and float masks are supported, got ${mask.dtype}`);
  return blocked ? where(mask, -Infinity, 0) : where(mask, 0, -Infinity);
}

/** The additive [L, S] mask that hides keys after each query's position. */
function causalMask(l: number, s: number, device: string): Tensor {
  return where(gt(unsqueeze(arange(s, { device }), 0), unsqueeze(arange(l, { device }), 1)), -Infinity, 0);
}

/** softmax(q k^T * scale + mask) v, and the (dropped-out) weights; `mask` is additive or null. */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, generator?: Generator): { output: Tensor; weights: Tensor } {
  const scores = matmul(mul(q, scale), transpose(k, -2, -1));
  const probs = softmax(mask ? add(scores, mask) : scores, -1);
  const weights = dropoutP > 0 ? dropout(probs, dropoutP, { generator }) : probs;
  return { output: matmul(weights, v), weights };
}

/**
 * Attention of queries q [..., L, E] over keys k [..., S, E] and values v [..., S, Ev], giving
 * [..., L, Ev], as torch.nn.functional.scaled_dot_product_attention (PyTorch 2).
 * @example nn.functional.scaledDotProductAttention(q, k, v, { isCausal: true })
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  if (options.isCausal && options.attnMask) throw new RangeError('scaledDotProductAttention(): Explicit attn_mask should not be set when is_causal=True');
  return tidy(() => {
    const l = q.shape[q.ndim - 2]!;
    const s = k.shape[k.ndim - 2]!;
    const mask = options.isCausal ? causalMask(l, s, q.device) : options.attnMask ? additiveMask('scaledDotProductAttention', options.attnMask, false) : null;
    const scale = options.scale ?? 1 / Math.sqrt(q.shape[q.ndim - 1]!);
    return attend(q, k, v, mask, scale, options.dropoutP ?? 0, options.generator).output;
  });
}

/** The weights of a multi-head attention: PyTorch's packed input projection and the output projection. */
export interface MultiHeadAttentionParams {
  numHeads: number;
  /** [3E, E]: the query, key and value projections stacked. */
  inProjWeight: Tensor;
  inProjBias?: Tensor | null;
  outProjWeight: Tensor;
  outProjBias?: Tensor | null;
  /** Dropout on the attention weights, applied only when `training`. */
  dropoutP?: number;
  training?: boolean;
  generator?: Generator;
}

export interface MultiHeadAttentionOptions {
  /** [N, S] ([S] unbatched): true (bool) marks keys to ignore; a float mask is added to the scores. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [L, S] or [N * numHeads, L, S]: true (bool) blocks a query-key pair; a float mask is added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads (default true), else return them per head. */
  averageAttnWeights?: boolean;
  /** Hide keys after each query's position when no `attnMask` is given (which is then taken as the causal mask). */
  isCausal?: boolean;
}

function checkShape(what: string, t: Tensor, shape: readonly number[]): void {
  if (!shapeEquals(t.shape, shape)) throw new RangeError(`multiHeadAttentionForward(): The shape of ${what} is ${formatShape(t.shape)}, but should be ${formatShape(shape)}.`);
}

/** The merged additive mask [N * H or 1, L, S] of an attention mask, a causal hint and a key padding mask, or null. */
function mergedMask(n: number, h: number, l: number, s: number, device: string, options: MultiHeadAttentionOptions): Tensor | null {
  const op = 'multiHeadAttentionForward';
  let mask: Tensor | null = null;
  const attn = options.attnMask;
  if (attn) {
    checkShape(`the ${attn.ndim}D attn_mask`, attn, attn.ndim === 2 ? [l, s] : [n * h, l, s]);
    mask = additiveMask(op, attn.ndim === 2 ? unsqueeze(attn, 0) : attn, true);
  } else if (options.isCausal) mask = unsqueeze(causalMask(l, s, device), 0);
  const padding = options.keyPaddingMask;
  if (padding) {
    checkShape('key_padding_mask', padding, [n, s]);
    const perHead = reshape(expand(reshape(additiveMask(op, padding, true), [n, 1, 1, s]), [n, h, 1, s]), [n * h, 1, s]);
    mask = mask ? add(mask, perHead) : perHead;
  }
  return mask;
}

/**
 * Multi-head attention over time-first inputs, as torch.nn.functional.multi_head_attention_forward:
 * query [L, N, E], key and value [S, N, E] (or [L, E] and [S, E] unbatched). Returns the output
 * [L, N, E] and, when `needWeights`, the weights [N, L, S] (per head: [N, H, L, S]).
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  params: MultiHeadAttentionParams,
  options: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  const op = 'multiHeadAttentionForward';
  const batched = query.ndim === 3;
  if ((query.ndim !== 2 && !batched) || key.ndim !== query.ndim || value.ndim !== query.ndim) {
    throw new RangeError(`${op}(): query, key and value must all be 3-D (batched) or 2-D (unbatched), got ${formatShape(query.shape)}, ${formatShape(key.shape)} and ${formatShape(value.shape)}`);
  }
  if (!shapeEquals(key.shape, value.shape)) throw new RangeError(`${op}(): key shape ${formatShape(key.shape)} does not match value shape ${formatShape(value.shape)}`);
  const h = params.numHeads;
  const e = params.inProjWeight.shape[1]!;
  if (query.shape[query.ndim - 1] !== e) throw new RangeError(`${op}(): was expecting embedding dimension of ${e}, but got ${query.shape[query.ndim - 1]}`);
  if (e % h !== 0) throw new RangeError(`${op}(): embed_dim ${e} not divisible by num_heads ${h}`);
  return tidy(() => {
    const [q, k, v] = [query, key, value].map((t) => (batched ? t : unsqueeze(t, 1))) as [Tensor, Tensor, Tensor];
    const padding = options.keyPaddingMask && !batched ? unsqueeze(options.keyPaddingMask, 0) : options.keyPaddingMask;
    const [l, n] = q.shape as [number, number];
    const s = k.shape[0]!;
    const hd = e / h;
    const [wq, wk, wv] = chunk(params.inProjWeight, 3) as [Tensor, Tensor, Tensor];
    const [bq, bk, bv] = params.inProjBias ? chunk(params.inProjBias, 3) : [null, null, null];
    // [len, N, E] -> [N * H, len, hd]: each head attends on its own slice of the embedding.
    const heads = (t: Tensor, len: number): Tensor => transpose(reshape(t, [len, n * h, hd]), 0, 1);
    const mask = mergedMask(n, h, l, s, q.device, { ...options, keyPaddingMask: padding });
    const dropoutP = params.training === false ? 0 : (params.dropoutP ?? 0);
    const { output, weights } = attend(heads(linear(q, wq, bq), l), heads(linear(k, wk, bk), s), heads(linear(v, wv, bv), s), mask, 1 / Math.sqrt(hd), dropoutP, params.generator);
    const merged = reshape(transpose(output, 0, 1), [l * n, e]);
    const out = reshape(linear(merged, params.outProjWeight, params.outProjBias), [l, n, e]);
    if (options.needWeights === false) return [batched ? out : squeeze(out, 1), null];
    const perHead = reshape(weights, [n, h, l, s]);
    const w = options.averageAttnWeights === false ? perHead : mean(perHead, 1);
    return [batched ? out : squeeze(out, 1), batched ? w : squeeze(w, 0)];
  });
}
