/**
 * The app's own DCGAN, trained for 20 steps from PyTorch's initial weights on the same MNIST
 * batches with the same noise (scripts/make_fixture.py), reports PyTorch's losses and
 * discriminator outputs at every step, on every backend.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
// The repository's choice of Vulkan driver (lavapipe where no GPU is found), as the webgpu tests make it.
import { ensureDriver } from '../../../packages/webgpu/test/driver.ts';
import { createGan, disposeGan, trainStep, type StepStats } from '../src/gan.ts';
import type { GanSizes } from '../src/models.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/dcgan-steps.safetensors', import.meta.url));
const STATS: Array<keyof StepStats> = ['errD', 'errG', 'dX', 'dGz1', 'dGz2'];
/**
 * Relative to PyTorch's value. Float32 sums in another order differ by ~1e-7 per op, and batch
 * norm in training mode over 8 images and Adam's first steps (which move every weight by about lr
 * whatever its gradient's size) could amplify that over the 20 steps; measured, the worst step
 * stays near 2e-7 on every backend, so 1e-5 leaves room for other float orders while any change
 * to the model, the loss or the update (errG moves by ~0.1 over the steps) fails it.
 */
const RTOL = 1e-5;

ensureDriver();

describe.each(['cpu-js', 'wasm-simd', 'webgpu'])('dcgan on %s: 20 training steps match PyTorch 1.13', (backend) => {
  afterAll(() => flint.setBackend('cpu'));

  it('every step reports torch\'s errD, errG, D(x) and D(G(z)), and memory stays flat', async () => {
    await flint.setBackend(backend);
    const { tensors, metadata } = await flint.loadWithMetadata(FIXTURE);
    const sizes = JSON.parse(metadata.sizes!) as GanSizes;
    const gan = createGan(sizes, { lr: Number(metadata.lr), beta1: Number(metadata.beta1) });
    for (const [prefix, net] of [['netG.', gan.netG], ['netD.', gan.netD]] as const) {
      const state = new Map([...tensors].filter(([k]) => k.startsWith(prefix)).map(([k, t]) => [k.slice(prefix.length), t]));
      net.loadStateDict(state);
    }
    const batches = tensors.get('batches')!;
    const noise = tensors.get('noise')!;
    const steps = batches.shape[0]!;
    const got: StepStats[] = [];
    let live = 0;
    for (let i = 0; i < steps; i++) {
      const [real, z] = [batches.select(0, i), noise.select(0, i)];
      got.push(await trainStep(gan, real, z));
      real.dispose();
      z.dispose();
      if (i === 0) live = flint.memory().tensors;
    }
    expect(flint.memory().tensors).toBe(live);
    const worst: Record<string, number> = {};
    for (const key of STATS) {
      const want = await tensors.get(key)!.data();
      expect(want.length).toBe(steps);
      const rel = got.map((s, i) => Math.abs(s[key] - want[i]!) / Math.abs(want[i]!));
      worst[key] = Math.max(...rel);
      rel.forEach((r, i) => expect(r, `${key} at step ${i + 1}: ${got[i]![key]} vs torch ${want[i]}`).toBeLessThanOrEqual(RTOL));
    }
    console.log(`${backend}: worst relative error ${JSON.stringify(worst)}`);
    disposeGan(gan);
    for (const t of tensors.values()) t.dispose();
  });
});
