/** Whole training runs: a hand-built network learns, and every backend follows the same loss curve. */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';

/** Trains a 2-16-2 tanh MLP on XOR with manual SGD on `device`: every step's loss, and the final predictions. */
async function trainXor(device: string, steps: number): Promise<{ losses: number[]; predicted: unknown }> {
  flint.manualSeed(42);
  const on = { device };
  const x = flint.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], { dtype: 'float32', ...on });
  const y = flint.tensor([0, 1, 1, 0], on);
  const params = flint.tidy(() => [
    flint.randn([2, 16], on).mul(0.7).requiresGrad_(),
    flint.zeros([16], { requiresGrad: true, ...on }),
    flint.randn([16, 2], on).mul(0.7).requiresGrad_(),
    flint.zeros([2], { requiresGrad: true, ...on }),
  ]);
  const [w1, b1, w2, b2] = params as [flint.Tensor, flint.Tensor, flint.Tensor, flint.Tensor];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = flint.tidy(() => {
      const logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
      const l = logits.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
      l.backward();
      flint.noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(0.5));
          p.grad!.zero_();
        }
      });
      return l.detach();
    });
    losses.push(await loss.item());
    loss.dispose();
  }
  const prediction = flint.tidy(() => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).argmax(1));
  const predicted = await prediction.tolist();
  prediction.dispose();
  for (const t of [x, y, ...params]) t.dispose();
  return { losses, predicted };
}

export function trainingSuite(ctx: SuiteContext): void {
  describe('training', () => {
    it('a hand-built 2-layer MLP learns XOR with manual SGD', async () => {
      const { losses, predicted } = await trainXor(ctx.name, 300);
      expect(losses.at(-1)!).toBeLessThan(0.1);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      expect(predicted).toEqual([0, 1, 1, 0]);
    });

    const reference = ctx.reference;
    if (reference && reference !== ctx.name) {
      it(`follows ${reference}'s loss curve for 50 steps from the same seed`, async () => {
        const mine = (await trainXor(ctx.name, 50)).losses;
        const theirs = (await trainXor(reference, 50)).losses;
        mine.forEach((loss, i) => expect(Math.abs(loss - theirs[i]!), `step ${i}`).toBeLessThanOrEqual(1e-4 + 1e-4 * Math.abs(theirs[i]!)));
      });
    }
  });
}
