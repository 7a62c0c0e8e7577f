/** RNNModel's parameters: torch's state-dict keys and shapes, and the tied decoder. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { RNNModel } from '../src/model.ts';

const layer = (l: number, input: number, nhid: number): Array<[string, number[]]> => [
  [`rnn.weight_ih_l${l}`, [4 * nhid, input]],
  [`rnn.weight_hh_l${l}`, [4 * nhid, nhid]],
  [`rnn.bias_ih_l${l}`, [4 * nhid]],
  [`rnn.bias_hh_l${l}`, [4 * nhid]],
];

describe('char-lstm RNNModel', () => {
  beforeAll(() => flint.setBackend('cpu'));

  it.each([false, true])('tied %s: the state dict has torch\'s keys and shapes, in torch\'s order', (tied) => {
    const nhid = tied ? 6 : 5;
    const model = new RNNModel({ ntoken: 7, ninp: 6, nhid, nlayers: 2, dropout: 0.2, tied });
    const state = model.stateDict();
    expect([...state].map(([key, t]) => [key, t.shape])).toEqual([
      ['encoder.weight', [7, 6]], ...layer(0, 6, nhid), ...layer(1, nhid, nhid), ['decoder.weight', [7, nhid]], ['decoder.bias', [7]],
    ]);
    // Tied, the decoder's weight is the encoder's: one parameter fewer, updated once per step.
    expect(model.decoder.weight === model.encoder.weight).toBe(tied);
    expect(model.parameters().length).toBe(tied ? 10 : 11);
    for (const t of state.values()) t.dispose();
    model.dispose();
  });

  it('forward gives logits [T * batch, ntoken] and a state [nlayers, batch, nhid]', () => {
    const model = new RNNModel({ ntoken: 7, ninp: 6, nhid: 5, nlayers: 2, dropout: 0.2, tied: false });
    const input = flint.tensor([[0, 1, 2], [3, 4, 5]], { dtype: 'int32' });
    const hidden = model.initHidden(3);
    const [logits, [h, c]] = model.forward(input, hidden);
    expect([logits.shape, h.shape, c.shape]).toEqual([[6, 7], [2, 3, 5], [2, 3, 5]]);
    for (const t of [input, ...hidden, logits, h, c]) t.dispose();
    model.dispose();
  });

  it('tying with nhid unequal to emsize throws the original\'s error', () => {
    expect(() => new RNNModel({ ntoken: 7, ninp: 6, nhid: 5, nlayers: 2, dropout: 0.2, tied: true })).toThrow('RNNModel(): When using the tied flag, nhid must be equal to emsize');
  });
});
