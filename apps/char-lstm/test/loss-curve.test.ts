/**
 * The app's own model and training step, run for 20 steps from PyTorch's initial weights on the
 * app's own batches of Moby Dick, with dropout on, report PyTorch's loss at every step, on every
 * backend, tied and untied (fixtures by scripts/make_fixture.py).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { readMobyDick, Vocabulary } from '@flint/example-char-gpt/corpus';
// The repository's choice of Vulkan driver (lavapipe where no GPU is found), as the webgpu tests make it.
import { ensureDriver } from '../../../packages/webgpu/test/driver.ts';
import { batchify, getBatch, splitCorpus } from '../src/data.ts';
import { RNNModel, type RNNModelConfig } from '../src/model.ts';
import { trainStep } from '../src/steps.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/char-lstm-${name}.safetensors`, import.meta.url));
/**
 * Relative to PyTorch's loss. Float32 sums in another order differ by ~1e-7 per op; 35 LSTM steps
 * through two layers and SGD at lr 20 (each step may move the weights by lr * clip = 5 in norm)
 * could carry that into later steps. Measured, the worst step is 3.5e-7 (cpu-js, untied; 2.5e-7
 * to 3.3e-7 elsewhere), so 1e-5 leaves room for other float orders, while a clip 1% larger moves
 * a loss by 7e-3 and other dropout masks by 0.15.
 */
const RTOL = 1e-5;
/** The fixture's entries that are not weights: the batches, torch's losses and the generator's first uniforms. */
const STEP_DATA = ['data', 'targets', 'losses', 'uniforms'];

ensureDriver();

const text = readMobyDick();
const vocab = Vocabulary.fromText(text);
const { train } = splitCorpus(vocab.encode(text));

describe.each(['cpu-js', 'wasm-simd', 'webgpu'])('char-lstm on %s: 20 training steps match PyTorch 1.13', (backend) => {
  afterAll(() => flint.setBackend('cpu'));

  it.each(['untied', 'tied'])('%s weights: the app\'s batches are torch\'s, every loss is torch\'s, and memory stays flat', async (name) => {
    await flint.setBackend(backend);
    const { tensors, metadata } = await flint.loadWithMetadata(fixture(name));
    const config = JSON.parse(metadata.config!) as RNNModelConfig;
    expect(config.ntoken).toBe(vocab.size);
    const model = new RNNModel(config);
    model.loadStateDict(new Map([...tensors].filter(([key]) => !STEP_DATA.includes(key))));
    expect(model.decoder.weight === model.encoder.weight).toBe(config.tied);
    const optimizer = new flint.optim.SGD(model.parameters(), { lr: Number(metadata.lr) });
    const seed = Number(metadata.seed);
    expect([...new flint.Generator(seed).uniform(8)]).toEqual([...(await tensors.get('uniforms')!.data())]);

    const bptt = Number(metadata.bptt);
    const source = batchify(train, Number(metadata.batchSize), flint.getBackendName()!);
    const wantData = (await tensors.get('data')!.tolist()) as number[][][];
    const wantTargets = (await tensors.get('targets')!.tolist()) as number[][];
    const want = await tensors.get('losses')!.data();
    const steps = want.length;
    // Dropout draws from the default generator, seeded as the fixture's masks were drawn.
    flint.manualSeed(seed);
    let hidden = model.initHidden(Number(metadata.batchSize));
    const got: number[] = [];
    let live = 0;
    for (let step = 0; step < steps; step++) {
      const [data, targets] = getBatch(source, step * bptt, bptt);
      expect(await data.tolist(), `input of step ${step + 1}`).toEqual(wantData[step]);
      expect(await targets.tolist(), `targets of step ${step + 1}`).toEqual(wantTargets[step]);
      const result = trainStep(model, optimizer, hidden, data, targets, Number(metadata.clip));
      got.push(await result.loss.item());
      for (const t of [data, targets, result.loss, ...hidden]) t.dispose();
      hidden = result.hidden;
      if (step === 0) live = flint.memory().tensors;
    }
    expect(flint.memory().tensors).toBe(live);
    const rel = got.map((loss, i) => Math.abs(loss - want[i]!) / Math.abs(want[i]!));
    console.log(`${backend} ${name}: worst relative error ${Math.max(...rel).toExponential(2)}, loss ${got[0]!.toFixed(4)} -> ${got.at(-1)!.toFixed(4)}`);
    rel.forEach((r, i) => expect(r, `loss at step ${i + 1}: ${got[i]} vs torch ${want[i]}`).toBeLessThanOrEqual(RTOL));
    for (const t of [...hidden, source, ...tensors.values()]) t.dispose();
    model.dispose();
    optimizer.dispose();
  }, 300_000);
});
