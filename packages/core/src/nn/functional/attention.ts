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
import { cat, chunk, zeroPad } from '../../ops/join.ts';
import { arange, zeros } from '../../ops/creation.ts';
import { dropout } from '../../ops/dropout.ts';
import { expand, reshape, squeeze, transpose, unsqueeze } from '../../ops/view.ts';
import { linear } from './linear.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

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

const SCALED_DOT_PRODUCT_ATTENTION_OPTIONS: OptionKeys<ScaledDotProductAttentionOptions> = {
  attnMask: true, dropoutP: true, isCausal: true, scale: true, generator: true,
};

/** A mask as scores to add: bool masks become 0 / -inf (`blocked` is the bool value that blocks), float masks pass through. */
function additiveMask(op: string, mask: Tensor, blocked: boolean): Tensor {
  if (mask.dtype === 'float32') return mask;
  if (mask.dtype !== 'bool') throw new TypeError(`${op}(): only bool and float masks are supported, got ${mask.dtype}`);
  return blocked ? where(mask, -Infinity, 0) : where(mask, 0, -Infinity);
}

/** The additive [L, S] mask that hides keys after each query's position. */
export function causalMask(l: number, s: number, device?: string): Tensor {
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
  checkTensors('scaledDotProductAttention', [q, k, v]);
  checkOptions('scaledDotProductAttention', options, SCALED_DOT_PRODUCT_ATTENTION_OPTIONS);
  if (options.isCausal && options.attnMask) throw new RangeError('scaledDotProductAttention(): Explicit attn_mask should not be set when is_causal=True');
  return tidy(() => {
    const l = q.shape[q.ndim - 2]!;
    const s = k.shape[k.ndim - 2]!;
    const mask = options.isCausal ? causalMask(l, s, q.device) : options.attnMask ? additiveMask('scaledDotProductAttention', options.attnMask, false) : null;
    const scale = options.scale ?? 1 / Math.sqrt(q.shape[q.ndim - 1]!);
    return attend(q, k, v, mask, scale, options.dropoutP ?? 0, options.generator).output;
  });
}

/**
 * The weights of a multi-head attention, as PyTorch's MultiheadAttention holds them: either the packed
 * input projection `inProjWeight` [3E, E] or, with `useSeparateProjWeight`, one projection per input
 * (`qProjWeight` [E, E], `kProjWeight` [E, kdim], `vProjWeight` [E, vdim]), and the output projection.
 */
export interface MultiHeadAttentionParams {
  numHeads: number;
  /** [3E, E]: the query, key and value projections stacked. */
  inProjWeight?: Tensor | null;
  /** [3E]: the three projections' biases stacked (also with separate projection weights). */
  inProjBias?: Tensor | null;
  /** Project query, key and value with `qProjWeight`, `kProjWeight` and `vProjWeight`, so key and value may have their own widths. */
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  /** [1, 1, E] each: a learnt key and value appended to every sequence after projection. */
  biasK?: Tensor | null;
  biasV?: Tensor | null;
  /** Append a zero key and value (per head) after the biases, so every query may attend to nothing. */
  addZeroAttn?: boolean;
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

export const MULTI_HEAD_ATTENTION_OPTIONS: OptionKeys<MultiHeadAttentionOptions> = {
  keyPaddingMask: true, needWeights: true, attnMask: true, averageAttnWeights: true, isCausal: true,
};

const OP = 'multiHeadAttentionForward';

/** PyTorch's checks of the inputs' and masks' ranks (_mha_shape_check); returns whether the input is batched. */
function checkRanks(query: Tensor, key: Tensor, value: Tensor, options: MultiHeadAttentionOptions): boolean {
  const { keyPaddingMask: padding, attnMask: attn } = options;
  if (query.ndim !== 2 && query.ndim !== 3) throw new RangeError(`${OP}(): query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`);
  const batched = query.ndim === 3;
  const kind = batched ? 'batched (3-D)' : 'unbatched (2-D)';
  if (key.ndim !== query.ndim || value.ndim !== query.ndim) {
    throw new RangeError(`${OP}(): For ${kind} \`query\`, expected \`key\` and \`value\` to be ${query.ndim}-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`);
  }
  if (padding && padding.ndim !== query.ndim - 1) {
    throw new RangeError(`${OP}(): For ${kind} \`query\`, expected \`key_padding_mask\` to be \`None\` or ${query.ndim - 1}-D but found ${padding.ndim}-D tensor instead`);
  }
  if (attn && attn.ndim !== 2 && attn.ndim !== 3) {
    throw new RangeError(`${OP}(): For ${kind} \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attn.ndim}-D tensor instead`);
  }
  return batched;
}

function checkShape(what: string, t: Tensor, shape: readonly number[]): void {
  if (!shapeEquals(t.shape, shape)) throw new RangeError(`${OP}(): The shape of ${what} is ${formatShape(t.shape)}, but should be ${formatShape(shape)}.`);
}

function checkWeight(what: string, w: Tensor | null | undefined, shape: readonly number[]): Tensor {
  if (!w) throw new TypeError(`${OP}(): use_separate_proj_weight is True but ${what}_proj_weight is None`);
  if (!shapeEquals(w.shape, shape)) throw new RangeError(`${OP}(): expecting ${what === 'q' ? 'query' : what === 'k' ? 'key' : 'value'} weights shape of ${formatShape(shape)}, but got ${formatShape(w.shape)}`);
  return w;
}

/** The embedding width the weights expect, after checking the inputs against the weights as PyTorch does. */
function checkInputs(query: Tensor, key: Tensor, value: Tensor, params: MultiHeadAttentionParams): number {
  const e = params.useSeparateProjWeight ? params.qProjWeight?.shape[0] : params.inProjWeight?.shape[1];
  if (e === undefined) throw new TypeError(`${OP}(): use_separate_proj_weight is ${params.useSeparateProjWeight ? 'True but q_proj_weight' : 'False but in_proj_weight'} is None`);
  const width = (t: Tensor): number => t.shape[t.ndim - 1]!;
  for (const [name, t] of [['query', query], ['key', key], ['value', value]] as const) {
    if (t.dtype !== 'float32') throw new TypeError(`${OP}(): expected ${name} to be float32, but got ${t.dtype}`);
  }
  if (width(query) !== e) throw new RangeError(`${OP}(): was expecting embedding dimension of ${e}, but got ${width(query)}`);
  if (e % params.numHeads !== 0) throw new RangeError(`${OP}(): embed_dim ${e} not divisible by num_heads ${params.numHeads}`);
  // PyTorch leaves these two to a failing matmul or reshape; naming them says which input is off.
  if (query.ndim === 3 && key.shape[1] !== query.shape[1]) {
    throw new RangeError(`${OP}(): query has batch size ${query.shape[1]}, but key has ${key.shape[1]} (inputs are [seq, batch, feature] unless batchFirst)`);
  }
  if (!params.useSeparateProjWeight) {
    if (!shapeEquals(key.shape, value.shape)) throw new RangeError(`${OP}(): key shape ${formatShape(key.shape)} does not match value shape ${formatShape(value.shape)}`);
    if (width(key) !== e) throw new RangeError(`${OP}(): was expecting key and value embedding dimension of ${e}, but got ${width(key)} (pass kdim and vdim for other widths)`);
    return e;
  }
  const lead = (t: Tensor): number[] => t.shape.slice(0, -1);
  if (!shapeEquals(lead(key), lead(value))) throw new RangeError(`${OP}(): key's sequence and batch dims ${formatShape(lead(key))} do not match value's ${formatShape(lead(value))}`);
  checkWeight('q', params.qProjWeight, [e, e]);
  checkWeight('k', params.kProjWeight, [e, width(key)]);
  checkWeight('v', params.vProjWeight, [e, width(value)]);
  return e;
}

/** Query, key and value through the input projections (packed or separate), as [len, N, E]. */
function project(q: Tensor, k: Tensor, v: Tensor, params: MultiHeadAttentionParams): [Tensor, Tensor, Tensor] {
  const [bq, bk, bv] = params.inProjBias ? chunk(params.inProjBias, 3) : [null, null, null];
  const [wq, wk, wv] = params.useSeparateProjWeight ? [params.qProjWeight!, params.kProjWeight!, params.vProjWeight!] : chunk(params.inProjWeight!, 3);
  return [linear(q, wq!, bq), linear(k, wk!, bk), linear(v, wv!, bv)];
}

/** A mask with one more (unmasked) key column: zero for a float mask, false for a bool one. */
const padKey = (mask: Tensor | null): Tensor | null => (mask ? zeroPad(mask, mask.ndim - 1, 0, 1) : null);

/** The attention mask as [1 or N * H, L, S], or the causal mask when asked for; bool or float as given. */
function attentionMask(n: number, h: number, l: number, s: number, device: string, options: MultiHeadAttentionOptions): Tensor | null {
  const attn = options.attnMask;
  if (!attn) return options.isCausal ? unsqueeze(causalMask(l, s, device), 0) : null;
  if (attn.dtype !== 'float32' && attn.dtype !== 'bool') throw new TypeError(`${OP}(): Only float, byte, and bool types are supported for attn_mask, not ${attn.dtype}`);
  checkShape(`the ${attn.ndim}D attn_mask`, attn, attn.ndim === 2 ? [l, s] : [n * h, l, s]);
  return attn.ndim === 2 ? unsqueeze(attn, 0) : attn;
}

/** The attention mask and the key padding mask [N, S] merged into one additive mask [N * H or 1, L, S], or null. */
function mergedMask(n: number, h: number, s: number, attn: Tensor | null, padding: Tensor | null): Tensor | null {
  const mask = attn ? additiveMask(OP, attn, true) : null;
  if (!padding) return mask;
  if (!shapeEquals(padding.shape, [n, s])) throw new RangeError(`${OP}(): expecting key_padding_mask shape of ${formatShape([n, s])}, but got ${formatShape(padding.shape)}`);
  const perHead = reshape(expand(reshape(additiveMask(OP, padding, true), [n, 1, 1, s]), [n, h, 1, s]), [n * h, 1, s]);
  return mask ? add(mask, perHead) : perHead;
}

/**
 * Multi-head attention over time-first inputs, as torch.nn.functional.multi_head_attention_forward
 * of PyTorch 1.13: query [L, N, E], key [S, N, kdim] and value [S, N, vdim] (or [L, E], [S, kdim]
 * and [S, vdim] unbatched). The projected key and value get `biasK` / `biasV` appended along the
 * sequence, then (split into heads) a zero key and value with `addZeroAttn`; the masks gain an
 * unmasked column for each. Returns the output [L, N, E] and, when `needWeights`, the weights
 * [N, L, S'] (per head: [N, H, L, S']), S' counting the appended keys.
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  params: MultiHeadAttentionParams,
  options: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  checkOptions(OP, options, MULTI_HEAD_ATTENTION_OPTIONS);
  checkTensors(OP, [query, key, value]);
  const batched = checkRanks(query, key, value, options);
  const e = checkInputs(query, key, value, params);
  if (!params.biasK !== !params.biasV) throw new TypeError(`${OP}(): bias_k and bias_v must be given together`);
  const h = params.numHeads;
  return tidy(() => {
    const [q0, k0, v0] = [query, key, value].map((t) => (batched ? t : unsqueeze(t, 1))) as [Tensor, Tensor, Tensor];
    const given = options.keyPaddingMask;
    let padding = given && !batched ? unsqueeze(given, 0) : (given ?? null);
    const [l, n] = q0.shape as [number, number];
    let attn = attentionMask(n, h, l, k0.shape[0]!, q0.device, options);
    let [q, k, v] = project(q0, k0, v0, params);
    if (params.biasK && params.biasV) {
      k = cat([k, expand(params.biasK, [1, n, e])]);
      v = cat([v, expand(params.biasV, [1, n, e])]);
      [attn, padding] = [padKey(attn), padKey(padding)];
    }
    const hd = e / h;
    // [len, N, E] -> [N * H, len, hd]: each head attends on its own slice of the embedding.
    const heads = (t: Tensor): Tensor => transpose(reshape(t, [t.shape[0]!, n * h, hd]), 0, 1);
    [q, k, v] = [heads(q), heads(k), heads(v)];
    if (params.addZeroAttn) {
      const zero = zeros([n * h, 1, hd], { device: k.device });
      [k, v] = [cat([k, zero], 1), cat([v, zero], 1)];
      [attn, padding] = [padKey(attn), padKey(padding)];
    }
    const s = k.shape[1]!;
    const mask = mergedMask(n, h, s, attn, padding);
    const dropoutP = params.training === false ? 0 : (params.dropoutP ?? 0);
    const { output, weights } = attend(q, k, v, mask, 1 / Math.sqrt(hd), dropoutP, params.generator);
    const merged = reshape(transpose(output, 0, 1), [l * n, e]);
    const out = reshape(linear(merged, params.outProjWeight, params.outProjBias), [l, n, e]);
    if (options.needWeights === false) return [batched ? out : squeeze(out, 1), null];
    const perHead = reshape(weights, [n, h, l, s]);
    const w = options.averageAttnWeights === false ? perHead : mean(perHead, 1);
    return [batched ? out : squeeze(out, 1), batched ? w : squeeze(w, 0)];
  });
}
