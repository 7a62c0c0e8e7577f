/**
 * How each op of fixtures/transformer.json runs in flint. Every module case first checks that the
 * freshly built module's state-dict keys and shapes are torch's (`args.keys`, `args.shapes`); an
 * attention case returns its output and weights flattened and concatenated, as the script does.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';
import { layer, named } from './nn.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Module = flint.nn.Module;

/** `m`, once its state-dict keys and shapes equal torch's. */
function checked<M extends Module>(m: M, a: Args): M {
  const state = m.stateDict();
  const mine = [...state].map(([k, t]) => `${k}[${t.shape.join(',')}]`);
  for (const t of state.values()) t.dispose();
  const torch = (a.keys as string[]).map((k, i) => `${k}[${(a.shapes as number[][])[i]!.join(',')}]`);
  if (mine.join() !== torch.join()) {
    m.dispose();
    throw new Error(`state dict ${mine.join(', ')} differs from torch's ${torch.join(', ')}`);
  }
  return m;
}

const flat = (ts: ReadonlyArray<Tensor | null>): Tensor => flint.cat(ts.filter((t): t is Tensor => t !== null).map((t) => t.reshape(-1)));
const ctor = (a: Args) => a.ctor as Record<string, unknown>;
/** The layer's own constructor options: the case's, less the stack's `numLayers` and `norm`. */
const layerOptions = (a: Args) => {
  const { numLayers: _numLayers, norm: _norm, ...options } = ctor(a);
  return { dimFeedforward: 16, dropout: 0, ...options };
};
const norm = (a: Args) => (ctor(a).norm ? new nn.LayerNorm(8) : null);

function encoder(a: Args): flint.nn.TransformerEncoder {
  const template = new nn.TransformerEncoderLayer(8, 2, layerOptions(a));
  try {
    return new nn.TransformerEncoder(template, (ctor(a).numLayers as number | undefined) ?? 2, { norm: norm(a) });
  } finally {
    template.dispose();
  }
}

function decoder(a: Args): flint.nn.TransformerDecoder {
  const template = new nn.TransformerDecoderLayer(8, 2, layerOptions(a));
  try {
    return new nn.TransformerDecoder(template, (ctor(a).numLayers as number | undefined) ?? 2, { norm: norm(a) });
  } finally {
    template.dispose();
  }
}

export const transformerTable: Record<string, OpFn> = {
  MultiheadAttentionModule: layer(
    (a) => checked(new nn.MultiheadAttention(8, 2, a.ctor as flint.nn.MultiheadAttentionLayerOptions), a),
    (m, xs, a) => {
      const { query, key, value, keyPaddingMask, attnMask } = named(xs, a);
      return flat(m.forward(query!, key!, value!, { ...(a.options as object), keyPaddingMask, attnMask }));
    },
  ),
  TransformerEncoder: layer((a) => checked(encoder(a), a), (m, xs, a) => {
    const { src, ...masks } = named(xs, a);
    return m.forward(src!, { ...masks, ...(a.options as object) });
  }),
  TransformerDecoderLayer: layer((a) => checked(new nn.TransformerDecoderLayer(8, 2, layerOptions(a)), a), (m, xs, a) => {
    const { tgt, memory, ...masks } = named(xs, a);
    return m.forward(tgt!, memory!, { ...masks, ...(a.options as object) });
  }),
  TransformerDecoder: layer((a) => checked(decoder(a), a), (m, xs, a) => {
    const { tgt, memory, ...masks } = named(xs, a);
    return m.forward(tgt!, memory!, { ...masks, ...(a.options as object) });
  }),
  Transformer: layer((a) => checked(new nn.Transformer({ dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0, ...(a.ctor as flint.nn.TransformerOptions) }), a), (m, xs, a) => {
    const { src, tgt, ...masks } = named(xs, a);
    return m.forward(src!, tgt!, masks);
  }),
  generateSquareSubsequentMask: (_inputs, a) => nn.Transformer.generateSquareSubsequentMask(a.sz as number),
};
