/** LSTM and GRU export unrolled over the traced sequence length; the batch stays dynamic when the initial state is an input. */
import * as flint from '@flint/core';
import { it } from 'vitest';
import { onBackends } from './backends.ts';
import { checkExport } from './ort.ts';

const { nn } = flint;

onBackends('recurrent', () => {
  it('a two-layer LSTM with its initial state as inputs', async () => {
    const lstm = new nn.LSTM(5, 6, { numLayers: 2 });
    const state = (batch: number): flint.Tensor[] => [flint.randn([2, batch, 6]), flint.randn([2, batch, 6])];
    await checkExport(lstm, [flint.randn([4, 2, 5]), state(2)], {
      inputNames: ['x', 'h0', 'c0'],
      dynamicAxes: { x: { 1: 'batch' }, h0: { 1: 'batch' }, c0: { 1: 'batch' } },
      runs: [[flint.randn([4, 3, 5]), state(3)]],
    });
  });

  it('a bidirectional, batch-first GRU from a zero state', async () => {
    const gru = new nn.GRU(3, 4, { bidirectional: true, batchFirst: true });
    await checkExport(gru, [flint.randn([2, 5, 3])]);
  });
});
