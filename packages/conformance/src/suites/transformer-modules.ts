/**
 * The transformer modules beyond their fixtures: PyTorch's reprs, independent copies, memory, and
 * bad arguments rejected before anything is allocated.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';

const { nn } = flint;

/** torch 1.13's lines for an 8-wide MultiheadAttention child named `name`. */
const attentionRepr = (name: string): string[] => [
  `  (${name}): MultiheadAttention(`,
  '    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)',
  '  )',
];

/** torch 1.13's lines for the feed-forward block of a layer of width 8 and dim_feedforward 16, then its `norms` LayerNorms and `norms` Dropouts. */
const feedForwardRepr = (norms: number): string[] => [
  '  (linear1): Linear(in_features=8, out_features=16, bias=True)',
  '  (dropout): Dropout(p=0.1, inplace=False)',
  '  (linear2): Linear(in_features=16, out_features=8, bias=True)',
  ...Array.from({ length: norms }, (_, i) => `  (norm${i + 1}): LayerNorm((8,), eps=1e-05, elementwise_affine=True)`),
  ...Array.from({ length: norms }, (_, i) => `  (dropout${i + 1}): Dropout(p=0.1, inplace=False)`),
];

/** torch 1.13's repr of TransformerEncoderLayer(8, 2, dim_feedforward=16), indented by `pad`. */
function encoderLayerRepr(pad: string): string {
  return ['TransformerEncoderLayer(', ...attentionRepr('self_attn'), ...feedForwardRepr(2), ')'].join(`\n${pad}`);
}

type BadCall = [label: string, call: () => unknown, error: new (...args: never[]) => Error, message: string];

export function transformerModulesSuite(_ctx: SuiteContext): void {
  describe('nn transformer: reprs, copies and bad arguments', () => {
    it("prints PyTorch's reprs", () => {
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
      const encoder = new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(8), enableNestedTensor: false });
      const decoderLayer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, normFirst: true, activation: 'gelu' });
      expect(String(layer)).toBe(encoderLayerRepr(''));
      expect(String(encoder)).toBe([
        'TransformerEncoder(',
        '  (layers): ModuleList(',
        `    (0): ${encoderLayerRepr('    ')}`,
        `    (1): ${encoderLayerRepr('    ')}`,
        '  )',
        '  (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True)',
        ')',
      ].join('\n'));
      expect(String(decoderLayer)).toBe(['TransformerDecoderLayer(', ...attentionRepr('self_attn'), ...attentionRepr('multihead_attn'), ...feedForwardRepr(3), ')'].join('\n'));
      for (const m of [layer, encoder, decoderLayer]) m.dispose();
    });

    it("the encoder's layers are independent deep copies, and the template stays the caller's", async () => {
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
      const encoder = new nn.TransformerEncoder(layer, 2);
      const first = encoder.layers.at(0) as flint.nn.TransformerEncoderLayer;
      const second = encoder.layers.at(1) as flint.nn.TransformerEncoderLayer;
      const w = (m: flint.nn.TransformerEncoderLayer): flint.Tensor => m.linear1.weight;
      expect(await w(first).tolist()).toEqual(await w(layer).tolist());
      flint.noGrad(() => w(first).fill_(3));
      expect(Array.from(await w(second).data())).not.toContain(3);
      expect(Array.from(await w(layer).data())).not.toContain(3);
      const copy = nn.utils.cloneModule(encoder);
      expect([...copy.stateDict().keys()]).toEqual([...encoder.stateDict().keys()]);
      expect(copy.stateDict().get('layers.0.linear1.weight')).not.toBe(w(first));
      encoder.dispose();
      copy.dispose();
      expect(w(layer).isDisposed).toBe(false);
      layer.dispose();
    });

    it('a Transformer built, run and disposed leaves no tensor behind', () => {
      const before = flint.memory().tensors;
      const model = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0 });
      flint.tidy(() => {
        const src = flint.randn([5, 2, 8]);
        const tgt = flint.randn([3, 2, 8]);
        model.forward(src, tgt, { tgtMask: nn.Transformer.generateSquareSubsequentMask(3) }).sum().backward();
      });
      model.dispose();
      expect(flint.memory().tensors).toBe(before);
    });

    const bad: BadCall[] = [
      ['an activation PyTorch lacks', () => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' }), RangeError, 'TransformerEncoderLayer(): activation should be relu/gelu, not tanh'],
      ['nhead 0', () => new nn.TransformerEncoderLayer(8, 0), RangeError, 'TransformerEncoderLayer(): nhead must be a positive integer, but got 0'],
      ['dModel not divisible by nhead', () => new nn.TransformerDecoderLayer(10, 3), RangeError, 'TransformerDecoderLayer(): embed_dim must be divisible by num_heads'],
      ['a negative dimFeedforward', () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: -1 }), RangeError, 'TransformerDecoderLayer(): dim_feedforward must be a positive integer, but got -1'],
      ['dropout above 1', () => new nn.TransformerEncoderLayer(8, 2, { dropout: 1.5 }), RangeError, 'TransformerEncoderLayer(): dropout probability has to be between 0 and 1, but got 1.5'],
      ['a zero layerNormEps', () => new nn.TransformerEncoderLayer(8, 2, { layerNormEps: 0 }), RangeError, 'TransformerEncoderLayer(): layer_norm_eps must be a positive number, but got 0'],
      ['a fractional layer count', () => new nn.Transformer({ dModel: 8, nhead: 2, numDecoderLayers: 1.5 }), RangeError, 'Transformer(): numDecoderLayers must be a non-negative integer, but got 1.5'],
      ['an unknown Transformer activation', () => new nn.Transformer({ dModel: 8, nhead: 2, activation: 'silu' as 'relu' }), RangeError, 'Transformer(): activation should be relu/gelu, not silu'],
      ['enableNestedTensor: true', () => new nn.TransformerEncoder(null as unknown as flint.nn.TransformerEncoderLayer, 1, { enableNestedTensor: true as false }), TypeError, 'TransformerEncoder(): enableNestedTensor: true is not supported'],
      ['embed_dim 0', () => new nn.MultiheadAttention(0, 1), RangeError, 'MultiheadAttention(): embed_dim must be a positive integer, but got 0'],
    ];
    for (const [label, call, error, message] of bad) {
      it(`errors: ${label}, allocating nothing`, () => {
        const before = flint.memory().tensors;
        expect(call).toThrow(error);
        expect(call).toThrow(message);
        expect(flint.memory().tensors).toBe(before);
      });
    }

    const encoder = (): flint.nn.TransformerEncoder => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 1);
    const badInputs: Array<[string, (e: flint.nn.TransformerEncoder) => unknown, new (...args: never[]) => Error, string]> = [
      ['a source of the wrong width', (e) => e.forward(flint.randn([5, 2, 6])), RangeError, 'multiHeadAttentionForward(): was expecting embedding dimension of 8, but got 6'],
      ['an integer source', (e) => e.forward(flint.zeros([5, 2, 8], { dtype: 'int32' })), TypeError, 'multiHeadAttentionForward(): expected query to be float32, but got int32'],
      ['a 4-D source', (e) => e.forward(flint.randn([5, 2, 8, 1])), RangeError, 'multiHeadAttentionForward(): query should be unbatched 2D or batched 3D tensor but received 4-D query tensor'],
      ['a padding mask of the wrong length', (e) => e.forward(flint.randn([5, 2, 8]), { srcKeyPaddingMask: flint.zeros([2, 4], { dtype: 'bool' }) }), RangeError, 'multiHeadAttentionForward(): expecting key_padding_mask shape of [2, 5], but got [2, 4]'],
      ['a mask of the wrong size', (e) => e.forward(flint.randn([5, 2, 8]), { mask: flint.zeros([4, 4]) }), RangeError, 'multiHeadAttentionForward(): The shape of the 2D attn_mask is [4, 4], but should be [5, 5].'],
    ];
    for (const [label, call, error, message] of badInputs) {
      it(`errors: TransformerEncoder.forward with ${label}`, () => {
        const e = encoder();
        flint.tidy(() => {
          expect(() => call(e)).toThrow(error);
          expect(() => call(e)).toThrow(message);
        });
        e.dispose();
      });
    }

    it('errors: a decoder whose memory has another batch size or width names it', () => {
      const layer = new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
      flint.tidy(() => {
        expect(() => layer.forward(flint.randn([3, 2, 8]), flint.randn([5, 3, 8]))).toThrow('multiHeadAttentionForward(): query has batch size 2, but key has 3');
        expect(() => layer.forward(flint.randn([3, 2, 8]), flint.randn([5, 2, 6]))).toThrow('multiHeadAttentionForward(): was expecting key and value embedding dimension of 8, but got 6 (pass kdim and vdim for other widths)');
        const t = new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
        expect(() => t.forward(flint.randn([5, 2, 8]), flint.randn([3, 4, 8]))).toThrow('Transformer(): the batch number of src and tgt must be equal');
        expect(() => t.forward(flint.randn([5, 2, 8]), flint.randn([3, 2, 6]))).toThrow('Transformer(): the feature number of src and tgt must be equal to d_model');
        t.dispose();
      });
      layer.dispose();
    });
  });
}
