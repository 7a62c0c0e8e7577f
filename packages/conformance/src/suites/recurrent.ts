/**
 * flint.nn's recurrent modules beyond their fixture values (fixtures/rnn.json): reprs, default
 * initialisation, dropout between layers, padding options, state-dict round trips, memory, and bad
 * arguments rejected with PyTorch 1.13's messages (pasted from torch where it has one).
 */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, expectClose, expectValues, readsSynchronously, valuesOf, withSavedSeed, type Encoded } from '../helpers.ts';
import { expectThrowsClean } from './errors.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
const { rnn } = nn.utils;

export function recurrentSuite(ctx: SuiteContext): void {
  const on = { device: ctx.name };

  describe('nn recurrent: modules', () => {
    it('print like PyTorch', () => {
      const modules = flint.tidy(() => [
        new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true }),
        new nn.LSTM(10, 20, { projSize: 5, bidirectional: true, dropout: 0.5, bias: false, numLayers: 2 }),
        new nn.RNN(10, 20, { nonlinearity: 'relu' }),
        new nn.GRU(3, 4),
        new nn.RNNCell(3, 4),
        new nn.RNNCell(3, 4, { nonlinearity: 'relu', bias: false }),
        new nn.LSTMCell(3, 4),
        new nn.GRUCell(3, 4, { bias: false }),
      ]);
      // print(...) of the same modules in torch 1.13.
      expect(modules.map(String)).toEqual([
        'LSTM(10, 20, num_layers=2, batch_first=True)',
        'LSTM(10, 20, proj_size=5, num_layers=2, bias=False, dropout=0.5, bidirectional=True)',
        'RNN(10, 20)',
        'GRU(3, 4)',
        'RNNCell(3, 4)',
        'RNNCell(3, 4, bias=False, nonlinearity=relu)',
        'LSTMCell(3, 4)',
        'GRUCell(3, 4, bias=False)',
      ]);
      for (const m of modules) m.dispose();
    });

    it('name and shape parameters as PyTorch, initialised U(-1/sqrt(hidden), 1/sqrt(hidden))', () =>
      withSavedSeed(async () => {
        flint.manualSeed(0);
        const lstm = flint.tidy(() => new nn.LSTM(3, 16, { numLayers: 2, bidirectional: true, projSize: 2 }));
        // [(n, tuple(p.shape)) for n, p in nn.LSTM(3, 16, 2, bidirectional=True, proj_size=2).named_parameters()][:5] and [10:11]
        const shapes = Object.fromEntries(lstm.namedParameters().map(([n, p]) => [n, p.shape]));
        expect(Object.keys(shapes)).toHaveLength(20);
        expect(shapes).toMatchObject({
          weight_ih_l0: [64, 3], weight_hh_l0: [64, 2], bias_ih_l0: [64], bias_hh_l0: [64], weight_hr_l0: [2, 16], weight_ih_l1: [64, 4],
        });
        const bound = 1 / Math.sqrt(16);
        const all = await valuesOf(() => flint.cat(lstm.parameters().map((p) => p.reshape(-1))));
        expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(bound);
        expect(Math.max(...all)).toBeGreaterThan(0.9 * bound);
        // The std of U(-b, b) is b / sqrt(3).
        const mean = all.reduce((s, v) => s + v, 0) / all.length;
        const std = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length);
        expect(Math.abs(std - bound / Math.sqrt(3))).toBeLessThan(0.01);
        lstm.dispose();
      }));

    it('drop out between layers only in training: with p = 1 the second layer reads zeros', async () => {
      const [stacked, first, second] = flint.tidy(() => [new nn.LSTM(3, 4, { numLayers: 2, dropout: 1 }), new nn.LSTM(3, 4), new nn.LSTM(4, 4)]);
      // The stack's layers as two single-layer LSTMs: layer 0 as is, layer 1 renamed to _l0.
      flint.tidy(() => {
        const state = stacked.stateDict();
        const layer = (k: number) => new Map([...state].filter(([n]) => n.endsWith(`_l${k}`)).map(([n, t]) => [n.replace(`_l${k}`, '_l0'), t]));
        first.loadStateDict(layer(0));
        second.loadStateDict(layer(1));
      });
      const x = flint.randn([5, 2, 3], on);
      const [trained, dropped] = flint.tidy(() => {
        const [out, [hN, cN]] = stacked.forward(x);
        const [, [h0, c0]] = first.forward(x);
        const [out1, [h1, c1]] = second.forward(flint.zeros([5, 2, 4], on));
        return [flint.cat([out, hN, cN].map((t) => t.reshape(-1))), flint.cat([out1, h0, h1, c0, c1].map((t) => t.reshape(-1)))];
      });
      await expectValues(trained, (await dropped.tolist()) as number[], { rtol: 1e-6, atol: 1e-6 });
      stacked.eval();
      const [evaluated, stackedUndropped] = flint.tidy(() => {
        const [out] = stacked.forward(x);
        const [out0] = first.forward(x);
        const [out1] = second.forward(out0);
        return [out, out1];
      });
      await expectValues(evaluated, (await stackedUndropped.tolist()) as number[][][], { rtol: 1e-6, atol: 1e-6 });
      for (const t of [x, trained, dropped, evaluated, stackedUndropped]) t.dispose();
      for (const m of [stacked, first, second]) m.dispose();
    });

    it('a state dict round-trips through safetensors under PyTorch\'s keys', async () => {
      const [a, b] = flint.tidy(() => [new nn.GRU(3, 4, { numLayers: 2, bidirectional: true }), new nn.GRU(3, 4, { numLayers: 2, bidirectional: true })]);
      const state = a.stateDict();
      const bytes = await flint.serialize(state);
      for (const t of state.values()) t.dispose();
      const { tensors } = flint.deserialize(bytes, on);
      // list(nn.GRU(3, 4, 2, bidirectional=True).state_dict().keys())[:5] in torch 1.13.
      expect([...tensors.keys()].slice(0, 5)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_ih_l0_reverse']);
      expect(b.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const t of tensors.values()) t.dispose();
      const x = flint.randn([4, 2, 3], on);
      const [ya, yb] = flint.tidy(() => [a.forward(x)[0], b.forward(x)[0]]);
      expect(await yb.tolist()).toEqual(await ya.tolist());
      for (const t of [x, ya, yb]) t.dispose();
      a.dispose();
      b.dispose();
    });

    it('loads a checkpoint PyTorch saved to safetensors and reproduces its output', async () => {
      // Written by scripts/rnn_cases.py: torch's own initialisation of nn.LSTM(3, 4, 2, bidirectional=True, proj_size=2, batch_first=True).
      const url = new URL('../../fixtures/io/lstm_from_torch.json', import.meta.url);
      const saved = JSON.parse(readFileSync(url, 'utf8')) as { keys: string[]; input: Encoded; output: Encoded; hN: Encoded; cN: Encoded };
      const lstm = flint.tidy(() => new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2, batchFirst: true }));
      expect(lstm.namedParameters().map(([n]) => n)).toEqual(saved.keys);
      const tensors = await flint.load(fileURLToPath(new URL('lstm_from_torch.safetensors', url)), on);
      expect(lstm.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const t of tensors.values()) t.dispose();
      const x = decode(saved.input, ctx.name);
      const [out, [hN, cN]] = flint.tidy(() => lstm.forward(x));
      const tol = { rtol: 1e-5, atol: 1e-6 };
      await expectClose(out, saved.output, tol, 'output');
      await expectClose(hN, saved.hN, tol, 'hN');
      await expectClose(cN, saved.cN, tol, 'cN');
      for (const t of [x, out, hN, cN]) t.dispose();
      lstm.dispose();
    });

    it('a packed bidirectional forward and backward inside tidy leaves memory unchanged', () => {
      const lstm = flint.tidy(() => new nn.LSTM(3, 4, { bidirectional: true, batchFirst: true }));
      const x = flint.randn([3, 5, 3], on);
      const step = (): void =>
        flint.tidy(() => {
          const packed = rnn.packPaddedSequence(x, [5, 2, 4], { batchFirst: true, enforceSorted: false });
          const [out, [hN]] = lstm.forward(packed);
          rnn.padPackedSequence(out)[0].sum().add(hN.sum()).backward();
        });
      step();
      lstm.zeroGrad();
      const before = flint.memory();
      step();
      lstm.zeroGrad();
      const after = flint.memory();
      expect([after.tensors, after.storages]).toEqual([before.tensors, before.storages]);
      const count = flint.memory().tensors;
      lstm.dispose();
      expect(flint.memory().tensors).toBe(count - 8);
      x.dispose();
    });
  });

  describe('nn recurrent: sequences', () => {
    it('padPackedSequence pads with paddingValue to totalLength and returns the lengths', async () => {
      // Hand computed: steps past each length become -1; a third step is added.
      const x = flint.tensor([[[1], [2]], [[3], [4]]], { ...on, dtype: 'float32' });
      const [padded, lengths] = flint.tidy(() => rnn.padPackedSequence(rnn.packPaddedSequence(x, [2, 1]), { paddingValue: -1, totalLength: 3, batchFirst: true }));
      await expectValues(padded, [[[1], [3], [-1]], [[2], [-1], [-1]]]);
      expect([lengths.dtype, await lengths.tolist()]).toEqual(['int32', [2, 1]]);
      for (const t of [x, padded, lengths]) t.dispose();
    });

    it('packSequence is packPaddedSequence of padSequence; unpackSequence and unpadSequence give the sequences back', async () => {
      const gru = flint.tidy(() => new nn.GRU(2, 3));
      const seqs = [[4, 2], [2, 2], [5, 2]].map((s) => flint.randn(s, on));
      const [viaPack, viaPad, ...restored] = flint.tidy(() => {
        const packed = rnn.packSequence(seqs, { enforceSorted: false });
        const [out, hN] = gru.forward(packed);
        const [out2, hN2] = gru.forward(rnn.packPaddedSequence(rnn.padSequence(seqs), [4, 2, 5], { enforceSorted: false }));
        const padded = rnn.padSequence(seqs, { batchFirst: true });
        return [
          flint.cat([rnn.padPackedSequence(out)[0].reshape(-1), hN.reshape(-1)]),
          flint.cat([rnn.padPackedSequence(out2)[0].reshape(-1), hN2.reshape(-1)]),
          ...rnn.unpackSequence(packed), ...rnn.unpadSequence(padded, [4, 2, 5], { batchFirst: true }),
        ];
      });
      expect(await viaPack!.tolist()).toEqual(await viaPad!.tolist());
      const originals = await Promise.all(seqs.map((s) => s.tolist()));
      expect(await Promise.all(restored.map((t) => t.tolist()))).toEqual([...originals, ...originals]);
      if (readsSynchronously(seqs[0]!)) {
        const lengths = flint.tensor([4, 2, 5], on);
        const cut = flint.tidy(() => rnn.unpadSequence(rnn.padSequence(seqs), lengths).map((t) => t.shape));
        expect(cut).toEqual([[4, 2], [2, 2], [5, 2]]);
        lengths.dispose();
      }
      for (const t of [...seqs, viaPack!, viaPad!, ...restored]) t.dispose();
      gru.dispose();
    });
  });

  describe('nn recurrent: errors', () => {
    it('reject bad constructor arguments with PyTorch\'s messages', () => {
      const before = flint.memory().tensors;
      expect(() => new nn.RNN(10, 20, { nonlinearity: 'gelu' as 'tanh' })).toThrow("Unknown nonlinearity 'gelu'");
      expect(() => new nn.RNNCell(10, 20, { nonlinearity: 'x' as 'tanh' })).toThrow("Unknown nonlinearity 'x'");
      expect(() => new nn.LSTM(10, 20, { projSize: 20 })).toThrow('proj_size has to be smaller than hidden_size');
      expect(() => new nn.LSTM(10, 20, { projSize: -1 })).toThrow('proj_size should be a positive integer or zero to disable projections');
      expect(() => new nn.GRU(10, 20, { projSize: 2 } as flint.nn.RecurrentOptions)).toThrow('proj_size argument is only supported for LSTM, not RNN or GRU');
      expect(() => new nn.GRU(10, 20, { dropout: 1.5 })).toThrow('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
      expect(() => new nn.GRU(10, 0)).toThrow('hidden_size must be greater than zero');
      expect(() => new nn.GRU(10, 20, { numLayers: 0 })).toThrow('num_layers must be greater than zero');
      expect(() => new nn.LSTMCell(10, 20.5)).toThrow('hidden_size should be of type int, got: 20.5');
      expect(flint.memory().tensors).toBe(before);
    });

    it('reject inputs and states of the wrong size, leaving nothing behind', () => {
      const [lstm, gru] = flint.tidy(() => [new nn.LSTM(10, 20, { numLayers: 2 }), new nn.GRU(10, 20, { numLayers: 2 })]);
      const [x8, x, x2, x4d, h1, h2, h2d] = [[5, 3, 8], [5, 3, 10], [5, 10], [5, 3, 4, 10], [1, 3, 20], [2, 3, 20], [2, 20]].map((s) => flint.zeros(s, on)) as Tensor[];
      expectThrowsClean(() => lstm.forward(x8!), /^LSTM\(10, 20, num_layers=2\): input\.size\(-1\) must be equal to input_size\. Expected 10, got 8$/);
      expectThrowsClean(() => gru.forward(x8!), /^GRU\(10, 20, num_layers=2\): input\.size\(-1\) must be equal to input_size\. Expected 10, got 8$/);
      expectThrowsClean(() => lstm.forward(x!, [h1!, h2!]), /^LSTM\(10, 20, num_layers=2\): Expected hidden\[0\] size \(2, 3, 20\), got \[1, 3, 20\]$/);
      expectThrowsClean(() => lstm.forward(x!, [h2!, h1!]), /^LSTM\(10, 20, num_layers=2\): Expected hidden\[1\] size \(2, 3, 20\), got \[1, 3, 20\]$/);
      expectThrowsClean(() => gru.forward(x!, h1!), /^GRU\(10, 20, num_layers=2\): Expected hidden size \(2, 3, 20\), got \[1, 3, 20\]$/);
      expectThrowsClean(() => lstm.forward(x2!, [h2!, h2!]), /^LSTM\(10, 20, num_layers=2\): For unbatched 2-D input, hx and cx should also be 2-D but got \(3-D, 3-D\) tensors$/);
      expectThrowsClean(() => gru.forward(x2!, h2!), /^GRU\(10, 20, num_layers=2\): For unbatched 2-D input, hx should also be 2-D but got 3-D tensor$/);
      expectThrowsClean(() => gru.forward(x!, h2d!), /^GRU\(10, 20, num_layers=2\): For batched 3-D input, hx should also be 3-D but got 2-D tensor$/);
      expectThrowsClean(() => gru.forward(x4d!), /^GRU\(10, 20, num_layers=2\): GRU: Expected input to be 2-D or 3-D but received 4-D tensor$/);
      expectThrowsClean(() => lstm.forward(x!, [h2!] as unknown as [Tensor, Tensor]), /^LSTM\(10, 20, num_layers=2\): LSTM: hx must be a pair \[h0, c0\], got 1 tensors$/);
      for (const t of [x8, x, x2, x4d, h1, h2, h2d]) t!.dispose();
      lstm.dispose();
      gru.dispose();
    });

    it('cells reject inputs and states of the wrong size', () => {
      const [lstm, gru] = flint.tidy(() => [new nn.LSTMCell(10, 20), new nn.GRUCell(10, 20)]);
      const [x8, x, x3d, h2, h3, wide] = [[3, 8], [3, 10], [3, 4, 10], [2, 20], [3, 20], [3, 21]].map((s) => flint.zeros(s, on)) as Tensor[];
      expectThrowsClean(() => gru.forward(x8!), /^GRUCell\(10, 20\): input has inconsistent input_size: got 8 expected 10$/);
      expectThrowsClean(() => lstm.forward(x!, [h2!, h3!]), /^LSTMCell\(10, 20\): Input batch size 3 doesn't match hidden0 batch size 2$/);
      expectThrowsClean(() => lstm.forward(x!, [h3!, h2!]), /^LSTMCell\(10, 20\): Input batch size 3 doesn't match hidden1 batch size 2$/);
      expectThrowsClean(() => gru.forward(x!, wide!), /^GRUCell\(10, 20\): hidden0 has inconsistent hidden_size: got 21, expected 20$/);
      expectThrowsClean(() => lstm.forward(x3d!), /^LSTMCell\(10, 20\): LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor$/);
      for (const t of [x8, x, x3d, h2, h3, wide]) t!.dispose();
      lstm.dispose();
      gru.dispose();
    });

    it('padSequence and packPaddedSequence reject bad sequences and lengths', () => {
      const [a, b, x] = [[3, 2], [2, 3], [5, 3, 2]].map((s) => flint.zeros(s, on)) as Tensor[];
      expectThrowsClean(() => rnn.padSequence([]), /^padSequence\(\): received an empty list of sequences$/);
      expectThrowsClean(() => rnn.padSequence([a!, b!]), /^padSequence\(\): every sequence must have the trailing shape \[2\], but sequence 1 has shape \[2, 3\]$/);
      expectThrowsClean(() => rnn.packPaddedSequence(x!, [5, 2, 3]), /^`lengths` array must be sorted in decreasing order when `enforce_sorted` is True/);
      expectThrowsClean(() => rnn.packPaddedSequence(x!, [5, 0, 3], { enforceSorted: false }), /^Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0$/);
      expectThrowsClean(() => rnn.packPaddedSequence(x!, [5, 2]), /^packPaddedSequence\(\): Expected `len\(lengths\)` to be equal to batch_size, but got 2 \(batch_size=3\)$/);
      expectThrowsClean(() => rnn.packPaddedSequence(x!, [6, 2, 3], { enforceSorted: false }), /^packPaddedSequence\(\): a length of 6 exceeds the input's 5 time steps$/);
      expectThrowsClean(() => rnn.unpadSequence(x!, [5, 6, 1]), /^unpadSequence\(\): a length of 6 does not fit the 5 time steps$/);
      expectThrowsClean(() => rnn.unpadSequence(x!, [5, 1]), /^unpadSequence\(\): expected 2 sequences along dim 1, got shape \[5, 3, 2\]$/);
      const packed = rnn.packPaddedSequence(x!, [4, 2, 1]);
      expectThrowsClean(() => rnn.padPackedSequence(packed, { totalLength: 3 }), /^Expected total_length to be at least the length of the longest sequence in input, but got total_length=3 and max sequence length being 4$/);
      for (const t of [a, b, x]) t!.dispose();
      packed.dispose();
    });
  });
}
