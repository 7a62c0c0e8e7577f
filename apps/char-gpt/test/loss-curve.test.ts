/**
 * The app's own GPT and training step, run for 20 steps from nanoGPT's initial weights in PyTorch
 * on the same Moby Dick batches with the same optimiser settings (scripts/make_fixture.py), report
 * PyTorch's loss at every step, on every backend.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
// The repository's choice of Vulkan driver (lavapipe where no GPU is found), as the webgpu tests make it.
import { ensureDriver } from '../../../packages/webgpu/test/driver.ts';
import { GPT, type GPTConfig } from '../src/model.ts';
import { configureOptimizer, trainStep, type OptimConfig } from '../src/optim.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/char-gpt-steps.safetensors', import.meta.url));
/** The fixture's entries that are not the model's weights. */
const DATA = new Set(['x', 'y', 'losses']);
/**
 * Relative to PyTorch's loss. Float32 sums in another order differ by ~1e-7 per op; the clipping
 * (active at every step) and AdamW's first steps, which move every weight by about lr whatever its
 * gradient's size, carry such differences through the 20 steps. Measured, the worst step is
 * 1.2e-7 off on every backend, so 1e-5 leaves room for other float orders, while each of these
 * changes, run in PyTorch, moves some step's loss by at least 14 times the bound: no weight decay
 * (1.4e-4), decay on every parameter (2.5e-4), no clipping (1.1e-3), beta2 0.95 (3.2e-3), half the
 * minimum learning rate (6.6e-3), the schedule one iteration ahead (1.3e-2).
 */
const RTOL = 1e-5;

ensureDriver();

describe.each(['cpu-js', 'wasm-simd', 'webgpu'])('char-gpt on %s: 20 training steps match PyTorch 1.13', (backend) => {
  afterAll(() => flint.setBackend('cpu'));

  it('every step reports torch\'s loss, and memory stays flat', async () => {
    await flint.setBackend(backend);
    const { tensors, metadata } = await flint.loadWithMetadata(FIXTURE);
    const model = new GPT(JSON.parse(metadata.config!) as GPTConfig);
    model.loadStateDict(new Map([...tensors].filter(([k]) => !DATA.has(k))));
    const optimConfig = JSON.parse(metadata.optim!) as OptimConfig;
    const optimizer = configureOptimizer(model, optimConfig);
    const [xs, ys] = [tensors.get('x')!, tensors.get('y')!];
    const want = await tensors.get('losses')!.data();
    const steps = xs.shape[0]!;
    expect(want.length).toBe(steps);
    const got: number[] = [];
    let live = 0;
    for (let it = 0; it < steps; it++) {
      const [x, y] = [xs.select(0, it), ys.select(0, it)];
      const loss = trainStep(model, optimizer, x, y, it, optimConfig);
      got.push(await loss.item());
      for (const t of [x, y, loss]) t.dispose();
      if (it === 0) live = flint.memory().tensors;
    }
    expect(flint.memory().tensors).toBe(live);
    const rel = got.map((loss, i) => Math.abs(loss - want[i]!) / want[i]!);
    console.log(`${backend}: worst relative error ${Math.max(...rel).toExponential(2)}`);
    rel.forEach((r, i) => expect(r, `loss at step ${i + 1}: ${got[i]} vs torch ${want[i]}`).toBeLessThanOrEqual(RTOL));
    model.dispose();
    optimizer.dispose();
    for (const t of tensors.values()) t.dispose();
  });
});
