/** A two-layer network built by hand from core ops and trained with manual SGD. */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';

export function trainingSuite(_ctx: SuiteContext): void {
  describe('training', () => {
    it('a hand-built 2-layer MLP learns XOR with manual SGD', () => {
      flint.manualSeed(42);
      const x = flint.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], { dtype: 'float32' });
      const y = flint.tensor([0, 1, 1, 0]);
      const w1 = flint.randn([2, 16]).mul(0.7).requiresGrad_();
      const b1 = flint.zeros([16], { requiresGrad: true });
      const w2 = flint.randn([16, 2]).mul(0.7).requiresGrad_();
      const b2 = flint.zeros([2], { requiresGrad: true });
      const params = [w1, b1, w2, b2];
      const losses: number[] = [];
      for (let step = 0; step < 300; step++) {
        losses.push(
          flint.tidy(() => {
            const logits = x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
            const loss = logits.logSoftmax(1).gather(1, y.unsqueeze(1)).mean().neg();
            loss.backward();
            flint.noGrad(() => {
              for (const p of params) {
                p.sub_(p.grad!.mul(0.5));
                p.grad!.dispose();
                p.grad = null;
              }
            });
            return loss.itemSync();
          }),
        );
      }
      expect(losses.at(-1)!).toBeLessThan(0.1);
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      const predicted = flint.tidy(() => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).argmax(1).tolistSync());
      expect(predicted).toEqual([0, 1, 1, 0]);
      for (const t of [x, y, ...params]) t.dispose();
    });
  });
}
