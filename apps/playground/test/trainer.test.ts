import * as flint from '@flint/core';
import '@flint/cpu-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXELS, type Split } from '../src/mnist.ts';
import { createModel } from '../src/models.ts';
import { train, type StepReport, type TrainOptions } from '../src/trainer.ts';

/** `count` images whose label is index % 10, each lit (255) on one row picked by its label. */
function split(count: number): Split {
  const images = new Uint8Array(count * PIXELS);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  labels.forEach((label, i) => images.fill(255, i * PIXELS + (2 * label + 4) * 28, i * PIXELS + (2 * label + 5) * 28));
  return { count, images, labels };
}

const data = { train: split(64), test: split(20) };
const options: TrainOptions = { lr: 0.01, batchSize: 16, epochs: 2, trainSize: 60, seed: 0 };

beforeAll(async () => {
  await flint.setBackend('cpu');
});

describe('train', () => {
  it('reports every step and epoch, and leaves only the model behind', async () => {
    flint.manualSeed(0);
    const model = createModel('mlp');
    const before = flint.memory().tensors;
    const steps: StepReport[] = [];
    const epochs: [number, number][] = [];
    await train(model, data, 'cpu-js', options, { onStep: (r) => steps.push(r), onEpoch: (e, a) => epochs.push([e, a]), stopped: () => false });
    // 60 images in batches of 16: 4 steps an epoch (the last of 12).
    expect(steps.map((r) => [r.epoch, r.step, r.totalSteps])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((s) => [s <= 4 ? 1 : 2, s, 8]));
    expect(steps[0]!.loss).toBeGreaterThan(2);
    expect(steps.at(-1)!.loss).toBeLessThan(steps[0]!.loss);
    expect(epochs.map(([e]) => e)).toEqual([1, 2]);
    // Ten distinct one-row images, one per class: two epochs at lr 0.01 learn them.
    expect(epochs[1]![1]).toBe(1);
    expect(flint.memory().tensors).toBe(before);
    model.dispose();
  });

  it('stops before the next step when asked, without the epoch report', async () => {
    const model = createModel('cnn');
    const before = flint.memory().tensors;
    const steps: number[] = [];
    const epochs: number[] = [];
    await train(model, data, 'cpu-js', options, { onStep: (r) => steps.push(r.step), onEpoch: (e) => epochs.push(e), stopped: () => steps.length === 3 });
    expect([steps, epochs]).toEqual([[1, 2, 3], []]);
    expect(flint.memory().tensors).toBe(before);
    model.dispose();
  });
});
