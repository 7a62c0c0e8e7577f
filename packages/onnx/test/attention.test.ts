/** MultiheadAttention and TransformerEncoderLayer decompose into mapped ops, causal masks included. */
import * as flint from '@flint/core';
import { it } from 'vitest';
import { onBackends } from './backends.ts';
import { checkExport } from './ort.ts';

const { nn } = flint;

onBackends('attention', () => {
  it('MultiheadAttention, sequence first, with its averaged weights', async () => {
    const mha = new nn.MultiheadAttention(8, 2);
    const f = (q: flint.Tensor, kv: flint.Tensor): flint.Tensor[] => mha.forward(q, kv, kv).filter((t): t is flint.Tensor => t !== null);
    await checkExport(f, [flint.randn([3, 2, 8]), flint.randn([5, 2, 8])], {
      dynamicAxes: { input_0: { 1: 'batch' }, input_1: { 1: 'batch' } },
      runs: [[flint.randn([3, 4, 8]), flint.randn([5, 4, 8])]],
    });
  });

  it('MultiheadAttention, batch first, with a causal mask', async () => {
    const mha = new nn.MultiheadAttention(8, 4, { batchFirst: true });
    const mask = flint.triu(flint.ones([4, 4]), 1).gt(0);
    const f = (x: flint.Tensor): flint.Tensor => mha.forward(x, x, x, { attnMask: mask, needWeights: false })[0];
    await checkExport(f, [flint.randn([2, 4, 8])], { dynamicAxes: { input_0: { 0: 'batch' } }, runs: [[flint.randn([3, 4, 8])]] });
  });

  it('TransformerEncoderLayer, post-norm and pre-norm, causal', async () => {
    for (const normFirst of [false, true]) {
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst, activation: normFirst ? 'gelu' : 'relu' });
      const mask = nn.Transformer.generateSquareSubsequentMask(5);
      const f = (x: flint.Tensor): flint.Tensor => layer.forward(x, { srcMask: mask, isCausal: true });
      layer.eval();
      await checkExport(f, [flint.randn([2, 5, 8])], { dynamicAxes: { input_0: { 0: 'batch' } }, runs: [[flint.randn([3, 5, 8])]] });
    }
  });

  it('TransformerEncoder of two layers', async () => {
    const encoder = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2);
    await checkExport(encoder, [flint.randn([5, 2, 8])], { dynamicAxes: { input_0: { 1: 'batch' } }, runs: [[flint.randn([5, 3, 8])]] });
  });
});
