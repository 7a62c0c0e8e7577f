/** Memory: tidy, keep, dispose, graph lifetime, and flat memory over many training steps. */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expectNoGrowth, readsSynchronously } from '../helpers.ts';

function held(name: string): { tensors: number; bytes: number; buffers: number } {
  const m = flint.memory();
  return { tensors: m.tensors, bytes: m.bytes, buffers: m.backends[name]?.buffers ?? 0 };
}

/**
 * Runs full collections (finalizers run as tasks after each) until the live tensor count holds
 * still over three rounds, so that garbage left by earlier code is gone too.
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0, still = 0, last = -1; i < 100 && still < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const now = flint.memory().tensors;
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

export function memorySuite(ctx: SuiteContext): void {
  describe('memory', () => {
    it('tidy frees everything made inside except what it returns', async () => {
      const before = held(ctx.name);
      const kept = flint.tidy(() => {
        const a = flint.ones([64, 64]);
        const b = a.mul(2).add(1).relu();
        return { out: b.sum(), list: [b.mean()] };
      });
      expect(held(ctx.name).tensors).toBe(before.tensors + 2);
      const value = kept.out.item();
      kept.out.dispose();
      kept.list[0]!.dispose();
      expect(held(ctx.name)).toEqual(before);
      expect(await value).toBe(64 * 64 * 3);
    });

    it('nested tidy hands results to the outer scope, keep() exempts a tensor', () => {
      const before = held(ctx.name);
      let survivor!: flint.Tensor;
      flint.tidy(() => {
        const inner = flint.tidy(() => flint.ones([4]).mul(3));
        survivor = flint.keep(inner.add(1));
        expect(inner.isDisposed).toBe(false);
      });
      expect(survivor.isDisposed).toBe(false);
      expect(held(ctx.name).tensors).toBe(before.tensors + 1);
      survivor.dispose();
      expect(held(ctx.name)).toEqual(before);
    });

    it('tidy disposes its tensors when the function throws', () => {
      const before = held(ctx.name);
      expect(() =>
        flint.tidy(() => {
          flint.ones([8]).mul(2);
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(held(ctx.name)).toEqual(before);
    });

    it('views share storage: bytes are freed when the last view goes', async () => {
      const before = held(ctx.name);
      const base = flint.zeros([10, 10]);
      const view = flint.tidy(() => base.T.index(0));
      base.dispose();
      expect(held(ctx.name).buffers).toBe(before.buffers + 1);
      const sum = flint.tidy(() => view.sum());
      const value = sum.item();
      for (const t of [sum, view]) t.dispose();
      expect(held(ctx.name)).toEqual(before);
      expect(await value).toBe(0);
    });

    it('composite ops called outside tidy leave nothing behind but their result', () => {
      const x = flint.tensor([[[[1, -2, 3, 0.5], [0, 4, -1, 2], [3, 3, -2, 1], [0.5, 1, 2, -3]]]], { dtype: 'float32' });
      const w = flint.ones([2, 1, 3, 3]);
      const b = flint.tensor([0.5, -0.5]);
      const m = flint.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
      const idx = flint.tensor([1, 0, 1]);
      const mt = m.T;
      const row = m.index(0);
      const x3 = x.squeeze(0);
      const ops: Array<() => flint.Tensor | flint.Tensor[] | Record<string, flint.Tensor>> = [
        () => m.mean(1), () => m.var(0), () => m.std(), () => m.logsumexp(1), () => m.softmax(1), () => m.logSoftmax(0),
        () => m.matmul(mt), () => row.matmul(mt), () => flint.conv2d(x, w, b, { padding: 1 }),
        () => flint.maxPool2d(x, 2), () => flint.maxPool2dWithIndices(x3, 2), () => flint.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }),
        () => flint.adaptiveAvgPool2d(x, 3), () => m.indexSelect(0, idx), () => flint.embedding(idx, m), () => (readsSynchronously(idx) ? flint.oneHot(idx) : flint.oneHot(idx, 2)),
        () => flint.dropout(m, 0.5), () => m.max(1), () => m.argmax(), () => flint.leakyRelu(m), () => flint.softplus(m, { beta: 2 }),
        () => m.add(m, { alpha: 2 }), () => flint.stack([m, m]), () => m.clamp(2, 5), () => m.prod(1),
      ];
      for (const op of ops) {
        const before = held(ctx.name);
        const out = op();
        const results = out instanceof flint.Tensor ? [out] : Object.values(out);
        for (const t of results) t.dispose();
        expect(held(ctx.name), op.toString()).toEqual(before);
      }
      for (const t of [x, w, b, m, idx, mt, row, x3]) t.dispose();
    });

    it('dispose is idempotent, Symbol.dispose disposes, use after dispose names the op', () => {
      const t = flint.ones([2]);
      t.dispose();
      t.dispose();
      expect(() => t.add(1)).toThrow(/add\(\).*disposed/);
      const u = flint.ones([2]);
      u[Symbol.dispose]();
      expect(u.isDisposed).toBe(true);
    });

    it('a graph built in tidy survives for backward and is freed by it', () => {
      const before = held(ctx.name);
      const w = flint.keep(flint.tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true }));
      const loss = flint.tidy(() => flint.ones([3, 2]).matmul(w).tanh().pow(2).mean());
      loss.backward();
      expect(w.grad).not.toBeNull();
      loss.dispose();
      w.dispose();
      expect(held(ctx.name)).toEqual(before);
    });

    it('a graph dropped without backward inside tidy leaves nothing behind (ops that save extra results: max pooling)', () => {
      const x = flint.keep(flint.randn([2, 3, 6, 6]).requiresGrad_());
      const before = held(ctx.name);
      for (let i = 0; i < 3; i++) {
        flint.tidy(() => {
          const nn = flint.nn.functional;
          nn.maxPool2d(x, 2).sum();
          flint.nn.functional.maxPool2dWithIndices(x, 3, { stride: 2 }).values.tanh();
          nn.batchNorm(x, null, null, { training: true }).softmax(1);
        });
      }
      expect(held(ctx.name)).toEqual(before);
      x.dispose();
    });

    it('the garbage collector frees dropped tensors and the gradients they own', async () => {
      await collectGarbage();
      const before = held(ctx.name);
      // Built in a function so that no reference outlives it: a parameter with a gradient from
      // backward, and a gradient taken off its parameter and then dropped.
      (() => {
        const w = flint.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
        flint.tidy(() => w.mul(w).sum().backward());
        const v = flint.tensor([4, 5], { dtype: 'float32', requiresGrad: true });
        flint.tidy(() => v.sum().backward());
        const taken = v.grad!;
        v.grad = null;
        v.dispose();
        expect(taken.isDisposed).toBe(false);
      })();
      expect(held(ctx.name).tensors).toBe(before.tensors + 3);
      await collectGarbage();
      expect(held(ctx.name)).toEqual(before);
    });

    it('holds memory flat across 1000 training steps inside tidy', async () => {
      flint.manualSeed(0);
      const [w1, w2, x, y] = flint.tidy(() => [
        flint.randn([8, 16]).mul(0.3).requiresGrad_(),
        flint.randn([16, 1]).mul(0.3).requiresGrad_(),
        flint.randn([32, 8]),
        flint.randn([32, 1]),
      ]);
      // Every 100th step's loss is read after the step is enqueued, outside its scope, as a
      // training loop that logs would; the rest only enqueue (a read per step would time the GPU's
      // round trip, not memory).
      const step = async (read: boolean): Promise<number | undefined> => {
        const loss = flint.tidy(() => {
          const l = x!.matmul(w1!).relu().matmul(w2!).sub(y!).pow(2).mean();
          l.backward();
          flint.noGrad(() => {
            for (const p of [w1!, w2!]) {
              p.sub_(p.grad!.mul(0.01));
              p.grad!.zero_();
            }
          });
          return l.detach();
        });
        try {
          return read ? await loss.item() : undefined;
        } finally {
          loss.dispose();
        }
      };
      await step(true);
      const start = held(ctx.name);
      const losses: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const value = await step(i % 100 === 0 || i === 999);
        if (value !== undefined) losses.push(value);
      }
      expectNoGrowth(held(ctx.name), start, 'after 1000 steps');
      expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      for (const t of [w1, w2, x, y]) t.dispose();
    });
  });
}
