import * as flint from '@flint/core';
import '@flint/cpu-js';
import { GPT } from '@flint/example-char-gpt/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeText } from '../src/text-data.ts';
import { optimConfig, trainText, type TextTrainOptions } from '../src/text-trainer.ts';

/** A text whose next character always follows from the last: "abcd" over and over. */
const data = encodeText('abcd'.repeat(50));
const options: TextTrainOptions = { lr: 0.01, batchSize: 8, steps: 30, seed: 0 };
const tiny = () => new GPT({ blockSize: 8, vocabSize: data.vocab.size, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0, bias: true });

beforeAll(async () => {
  await flint.setBackend('cpu');
});

describe('encodeText', () => {
  it('maps the sorted distinct characters to ids and keeps the first 90% for training', () => {
    const { length, vocab, train } = encodeText('banana, bandana');
    expect([length, vocab.chars.join('')]).toEqual([15, ' ,abdn']);
    // floor(15 * 0.9) = 13 characters: "banana, banda".
    expect(vocab.decode(train)).toBe('banana, banda');
  });
});

describe('trainText', () => {
  it("fits char-gpt's schedule to the run: warmup over a tenth of the steps, decay to a tenth of the rate at the last", () => {
    expect(optimConfig({ lr: 0.005, batchSize: 16, steps: 1000, seed: 0 })).toEqual({
      learningRate: 0.005, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, gradClip: 1, warmupIters: 100, lrDecayIters: 1000, minLr: 0.0005,
    });
  });

  it('reports every step, waits for the hook, learns a periodic text, and leaves only the model behind', async () => {
    flint.manualSeed(0);
    const model = tiny();
    const before = flint.memory().tensors;
    const reports: [number, number][] = [];
    const losses: number[] = [];
    let waited = 0;
    await trainText(model, data.train, 'cpu-js', options, {
      onStep: async (r) => {
        reports.push([r.step, r.totalSteps]);
        losses.push(r.loss);
        await new Promise((resolve) => setTimeout(resolve, 1));
        waited++;
      },
      stopped: () => false,
    });
    expect(reports).toEqual(Array.from({ length: 30 }, (_, i) => [i + 1, 30]));
    expect(waited).toBe(30);
    // ln 4 = 1.39 to start; the cycle is learnt to well under half of that in 30 steps.
    expect(losses[0]!).toBeGreaterThan(1.2);
    expect(losses.slice(-5).reduce((a, b) => a + b, 0) / 5).toBeLessThan(0.5);
    expect(flint.memory().tensors).toBe(before);
    model.dispose();
  });

  it('stops before the next step when asked', async () => {
    const model = tiny();
    const before = flint.memory().tensors;
    const steps: number[] = [];
    await trainText(model, data.train, 'cpu-js', options, { onStep: (r) => void steps.push(r.step), stopped: () => steps.length === 4 });
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(flint.memory().tensors).toBe(before);
    model.dispose();
  });
});
