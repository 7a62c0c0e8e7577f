/**
 * Bad input must fail loudly and cleanly: an Error whose message names the op and the problem,
 * thrown before anything changes (no values written, no tensors leaked, no grad filled).
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectValues, readsSynchronously, thrownBy, tidyChecks } from '../helpers.ts';

const exact = { rtol: 0, atol: 0 };

/** Asserts `fn` throws an Error matching `pattern` and leaves the live tensor count unchanged. */
export function expectThrowsClean(fn: () => unknown, pattern: RegExp): void {
  const before = flint.memory().tensors;
  const caught = thrownBy(fn);
  expect(caught, `expected a throw matching ${pattern}`).toBeInstanceOf(Error);
  expect((caught as Error).message).toMatch(pattern);
  expect(flint.memory().tensors, 'tensors leaked by the failing call').toBe(before);
}

export function errorSuite(ctx: SuiteContext): void {
  describe('errors: shapes', () => {
    it('matmul shape mismatch names both shapes like PyTorch', () =>
      flint.tidy(() => {
        const a = flint.zeros([64, 6]);
        const b = flint.zeros([4, 2]);
        expectThrowsClean(() => a.matmul(b), /mat1 and mat2 shapes cannot be multiplied \(64x6 and 4x2\)/);
        expectThrowsClean(() => flint.matmul(a, b), /mat1 and mat2 shapes cannot be multiplied \(64x6 and 4x2\)/);
        expectThrowsClean(() => flint.mm(a, b), /mat1 and mat2 shapes cannot be multiplied \(64x6 and 4x2\)/);
        // Batch dims fold into the rows of mat1: [2, 3, 5] @ [4, 2] -> 6x5 and 4x2.
        const batched = flint.zeros([2, 3, 5]);
        expectThrowsClean(() => batched.matmul(b), /mat1 and mat2 shapes cannot be multiplied \(6x5 and 4x2\)/);
        const [v3, v4, s] = [flint.zeros([3]), flint.zeros([4]), flint.tensor(1.5)];
        expectThrowsClean(() => v3.matmul(v4), /dot.*inconsistent tensor size/);
        expectThrowsClean(() => s.matmul(a), /matmul.*at least 1D/);
      }));

    it('mm and bmm reject operands of the wrong rank', () =>
      flint.tidy(() => {
        const [v3, m23, m32, b132, b123, b223, b242] = [[3], [2, 3], [3, 2], [1, 3, 2], [1, 2, 3], [2, 2, 3], [2, 4, 2]].map((s) => flint.zeros(s));
        expectThrowsClean(() => flint.mm(v3!, m32!), /mm\(\).*self must be a matrix.*1-D/);
        expectThrowsClean(() => flint.mm(m23!, b132!), /mm\(\).*mat2 must be a matrix.*3-D/);
        expectThrowsClean(() => flint.bmm(m23!, b132!), /bmm\(\).*batch1 must be a 3D tensor/);
        expectThrowsClean(() => flint.bmm(b123!, m32!), /bmm\(\).*batch2 must be a 3D tensor/);
        expectThrowsClean(() => flint.bmm(b223!, b242!), /bmm\(\).*\[2, 3\].*\[2, 4\]/);
      }));

    it('add of non-broadcastable shapes names both shapes', () =>
      flint.tidy(() => {
        const a = flint.zeros([2, 3]);
        const b = flint.zeros([4]);
        expectThrowsClean(() => a.add(b), /add\(\).*\[2, 3\].*\[4\].*broadcast/);
        const [c, d] = [flint.zeros([3, 1, 5]), flint.zeros([2, 4])];
        expectThrowsClean(() => flint.mul(c, d), /mul\(\).*\[3, 1, 5\].*\[2, 4\].*broadcast/);
        expectThrowsClean(() => a.gt(b), /gt\(\).*\[2, 3\].*\[4\]/);
      }));

    it('dim out of range names the valid range', () =>
      flint.tidy(() => {
        const x = flint.zeros([2, 3]);
        expectThrowsClean(() => x.sum(5), /sum\(\).*Dimension out of range.*\[-2, 1\].*got 5/);
        expectThrowsClean(() => x.mean(-3), /mean\(\).*Dimension out of range.*\[-2, 1\].*got -3/);
        expectThrowsClean(() => x.softmax(2), /Dimension out of range.*\[-2, 1\].*got 2/);
        expectThrowsClean(() => x.transpose(0, 2), /transpose\(\).*Dimension out of range/);
        expectThrowsClean(() => x.unsqueeze(4), /unsqueeze\(\).*Dimension out of range.*\[-3, 2\]/);
      }));

    it('reshape to an incompatible size names the shape and the input size', () =>
      flint.tidy(() => {
        const x = flint.zeros([2, 3]);
        expectThrowsClean(() => x.reshape(4, 4), /reshape\(\).*\[4, 4\].*invalid for input of size 6/);
        expectThrowsClean(() => x.reshape(-1, 4), /reshape\(\).*invalid for input of size 6/);
        expectThrowsClean(() => x.view(5), /view\(\).*\[5\].*invalid for input of size 6/);
        expect([...x.shape]).toEqual([2, 3]);
      }));

    it('cat with mismatched sizes names the tensors', () =>
      flint.tidy(() => {
        const a = flint.zeros([2, 3]);
        const b = flint.zeros([2, 2]);
        expectThrowsClean(() => flint.cat([a, b], 0), /cat\(\).*Sizes of tensors must match except in dimension 0.*Expected size 3 but got size 2 for tensor number 1/);
        const v = flint.zeros([3]);
        expectThrowsClean(() => flint.cat([a, v]), /cat\(\).*same number of dimensions/);
        expectThrowsClean(() => flint.cat([]), /cat\(\).*non-empty/);
        expectThrowsClean(() => flint.stack([a, b]), /stack\(\).*equal size.*\[2, 3\].*\[2, 2\]/);
      }));

    it('crossEntropy rejects a target that names no class', () =>
      flint.tidy(() => {
        const logits = flint.zeros([3, 4]);
        const [above, below] = [[0, 4, 1], [0, -1, 1]].map((v) => flint.tensor(v));
        // Targets are checked on the host, as gather's indices are, where reads are synchronous.
        if (!readsSynchronously(logits)) return;
        expectThrowsClean(() => flint.nn.functional.crossEntropy(logits, above!), /crossEntropy\(\).*Target 4 is out of bounds/);
        expectThrowsClean(() => flint.nn.functional.crossEntropy(logits, below!), /crossEntropy\(\).*Target -1 is out of bounds/);
      }));

    it('gather rejects a float index and an out-of-range index', () =>
      tidyChecks((check) => {
        const x = flint.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
        const floatIndex = flint.tensor([[0.0, 1.0]], { dtype: 'float32' });
        const [i05, im10, i01] = [[[0, 5]], [[-1, 0]], [0, 1]].map((v) => flint.tensor(v));
        expectThrowsClean(() => x.gather(1, floatIndex), /gather\(\).*int32.*float32/);
        // Index values are checked on the host, which only a backend with synchronous reads can do
        // without stalling the queue.
        if (readsSynchronously(x)) {
          expectThrowsClean(() => x.gather(1, i05!), /gather\(\).*index 5 is out of bounds.*size 3/);
          expectThrowsClean(() => x.gather(0, im10!), /gather\(\).*index -1 is out of bounds.*size 2/);
        }
        expectThrowsClean(() => x.gather(1, i01!), /gather\(\).*same number of dimensions/);
        check.values(x, [[1, 2, 3], [4, 5, 6]], exact);
      }));

    it('indexSelect and embedding reject out-of-range indices, naming the op', () =>
      flint.tidy(() => {
        const x = flint.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' });
        const [i2, i3] = [[2], [3]].map((v) => flint.tensor(v));
        const table = flint.zeros([3, 2]);
        const floatIndex = flint.tensor([0.0], { dtype: 'float32' });
        expectThrowsClean(() => x.indexSelect(0, floatIndex), /indexSelect\(\).*int32.*float32/);
        if (readsSynchronously(x)) {
          expectThrowsClean(() => x.indexSelect(0, i2!), /indexSelect\(\).*index 2 is out of bounds.*size 2/);
          expectThrowsClean(() => flint.embedding(i3!, table), /(embedding|indexSelect)\(\).*index 3 is out of bounds.*size 3/);
        }
      }));

    it('conv2d channel mismatch', () =>
      flint.tidy(() => {
        const x = flint.zeros([1, 2, 5, 5]);
        const w = flint.zeros([4, 3, 3, 3]);
        expectThrowsClean(() => flint.conv2d(x, w), /conv2d\(\).*expected input\[1, 2, 5, 5\] to have 3 channels, but got 2 channels/);
        const [x2d, tiny] = [flint.zeros([5, 5]), flint.zeros([1, 3, 2, 2])];
        expectThrowsClean(() => flint.conv2d(x2d, w), /conv2d\(\): Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[5, 5\]/);
        expectThrowsClean(() => flint.conv2d(tiny, w), /conv2d\(\).*too small/);
      }));

    it('tensor() rejects ragged nested arrays', () =>
      flint.tidy(() => {
        expectThrowsClean(() => flint.tensor([[1, 2], [3]]), /tensor\(\).*(length|ragged)/);
      }));
  });

  describe('errors: autograd', () => {
    it('requiresGrad_ on an int tensor', () =>
      flint.tidy(() => {
        const i = flint.tensor([1, 2, 3]);
        expectThrowsClean(() => i.requiresGrad_(), /requiresGrad_\(\).*floating point.*int32/);
        expect(i.requiresGrad).toBe(false);
      }));

    it('a factory asked for an int tensor that requires grad throws without leaking the tensor', () =>
      flint.tidy(() => {
        expectThrowsClean(() => flint.tensor([1, 2], { dtype: 'int32', requiresGrad: true }), /floating point/);
        expectThrowsClean(() => flint.tensor([true], { requiresGrad: true }), /floating point.*bool/);
        expectThrowsClean(() => flint.zeros([2], { dtype: 'int32', requiresGrad: true }), /floating point/);
      }));

    it('backward on a non-scalar without a gradient', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
        const y = x.mul(2);
        expectThrowsClean(() => y.backward(), /grad can be implicitly created only for scalar outputs/);
        expect(x.grad).toBeNull();
        expect(flint.isGradEnabled()).toBe(true);
        // The graph is still intact: backward with an explicit gradient works afterwards.
        y.backward({ gradient: flint.ones([3]) });
        check.values(x.grad!, [2, 2, 2], exact);
      }));

    it('backward on a tensor that does not require grad', () =>
      flint.tidy(() => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32' });
        const s = x.sum();
        expectThrowsClean(() => s.backward(), /backward\(\).*does not require grad/);
        expect(x.grad).toBeNull();
        expect(flint.isGradEnabled()).toBe(true);
      }));

    it('a saved tensor modified in place is detected at backward', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32', requiresGrad: true });
        const a = x.mul(2);
        const b = a.mul(a);
        a.add_(1);
        check.values(a, [3, 5, 7], exact);
        const loss = b.sum();
        expectThrowsClean(() => loss.backward(), /modified by an inplace operation/);
        expect(x.grad).toBeNull();
        expect(flint.isGradEnabled()).toBe(true);
      }));
  });

  describe('errors: disposed tensors, devices and backends', () => {
    it('use after dispose names the op', () =>
      tidyChecks((check) => {
        const t = flint.tensor([1, 2, 3], { dtype: 'float32' });
        const other = flint.tensor([1, 1, 1], { dtype: 'float32' });
        t.dispose();
        expect(t.isDisposed).toBe(true);
        expectThrowsClean(() => t.add(1), /add\(\).*disposed/);
        expectThrowsClean(() => other.add(t), /add\(\).*disposed/);
        expectThrowsClean(() => t.reshape(3, 1), /reshape\(\).*disposed/);
        expectThrowsClean(() => t.dataSync(), /dataSync\(\).*disposed/);
        expectThrowsClean(() => t.sum(), /sum\(\).*disposed/);
        expect(() => t.dispose()).not.toThrow();
        expect(t.toString()).toContain('disposed');
        check.values(other, [1, 1, 1], exact);
      }));

    it('async reads of a disposed tensor reject', async () => {
      const t = flint.tensor([1, 2]);
      t.dispose();
      await expect(t.data()).rejects.toThrow(/data\(\).*disposed/);
    });

    it('mixing devices names both devices', async () => {
      // A second registered backend that delegates every kernel to the one under test: a distinct
      // device as far as core is concerned, built from public API only.
      const second = `${ctx.name}-second-device`;
      flint.registerBackend({
        name: second,
        aliases: [],
        priority: -1000,
        factory: () => {
          const inner = flint.backendFor(ctx.name);
          return new Proxy(inner, {
            get(target, prop) {
              if (prop === 'name') return second;
              const v = Reflect.get(target, prop, target) as unknown;
              return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
            },
          });
        },
      });
      await flint.startBackend(second);
      expect(flint.getBackendName()).toBe(ctx.name);
      const [a, b] = flint.tidy(() => [flint.tensor([1, 2, 3], { dtype: 'float32' }), flint.tensor([10, 20, 30], { dtype: 'float32', device: second })]);
      try {
        expect(a.device).toBe(ctx.name);
        expect(b.device).toBe(second);
        const pattern = new RegExp(`add\\(\\).*same device.*${ctx.name}.*${second}`);
        expectThrowsClean(() => a.add(b), pattern);
        expectThrowsClean(() => flint.cat([a, b]), /cat\(\).*same device/);
        expectThrowsClean(() => a.matmul(b), /same device/);
        const moved = await b.toAsync(ctx.name);
        expect(moved.device).toBe(ctx.name);
        const sum = a.add(moved);
        await expectValues(sum, [11, 22, 33], exact);
        for (const t of [moved, sum]) t.dispose();
      } finally {
        for (const t of [a, b]) t.dispose();
      }
    });

    it('setBackend with an unknown name rejects and lists the registered backends', async () => {
      await expect(flint.setBackend('no-such-backend')).rejects.toThrow(new RegExp(`Unknown backend 'no-such-backend'.*Registered backends:.*${ctx.name}`));
      expect(flint.getBackendName()).toBe(ctx.name);
      expect(() => flint.tensor([1], { device: 'no-such-backend' })).toThrow(/Unknown backend/);
    });
  });

  describe('errors: in-place ops', () => {
    it('add_ that would broadcast the destination larger throws and writes nothing', () =>
      tidyChecks((check) => {
        const a = flint.tensor([1, 2, 3], { dtype: 'float32' });
        const [o23, o4] = [flint.ones([2, 3]), flint.ones([4])];
        expectThrowsClean(() => a.add_(o23), /add_\(\).*\[3\].*\[2, 3\]/);
        check.values(a, [1, 2, 3], exact);
        expect(a.version).toBe(0);
        expectThrowsClean(() => a.mul_(o4), /mul_?\(\).*\[3\].*\[4\].*broadcast/);
        check.values(a, [1, 2, 3], exact);
        // Broadcasting the source into the destination is fine.
        const m = flint.zeros([2, 3]);
        m.add_(flint.tensor([1, 2, 3], { dtype: 'float32' }));
        check.values(m, [[1, 2, 3], [1, 2, 3]], exact);
      }));

    it('add_ of a float into an int tensor throws (result type cannot be cast)', () =>
      tidyChecks((check) => {
        const i = flint.tensor([1, 2, 3]);
        expectThrowsClean(() => i.add_(0.5), /add_\(\).*float32 can't be cast.*int32/);
        const halves = flint.tensor([0.5, 0.5, 0.5]);
        expectThrowsClean(() => i.add_(halves), /add_\(\).*float32 can't be cast.*int32/);
        expectThrowsClean(() => i.div_(2), /div_\(\).*float32 can't be cast.*int32/);
        check.list(i, [1, 2, 3]);
        expect(i.dtype).toBe('int32');
        i.add_(2);
        check.list(i, [3, 4, 5]);
      }));

    it('in-place on a leaf that requires grad throws, and works inside noGrad', () =>
      tidyChecks((check) => {
        const w = flint.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
        expectThrowsClean(() => w.add_(1), /add_\(\).*leaf Variable that requires grad.*in-place/);
        expectThrowsClean(() => w.fill_(0), /fill_\(\).*leaf Variable that requires grad/);
        const twos = flint.tensor([2, 2], { dtype: 'float32' });
        expectThrowsClean(() => w.mul_(twos), /mul_\(\).*leaf/);
        check.values(w, [1, 2], exact);
        expect(w.version).toBe(0);
        flint.noGrad(() => w.sub_(flint.tensor([0.5, 0.5], { dtype: 'float32' })));
        check.values(w, [0.5, 1.5], exact);
        expect(w.isLeaf).toBe(true);
        expect(w.requiresGrad).toBe(true);
        expect(w.version).toBe(1);
        flint.noGrad(() => w.mul_(2));
        check.values(w, [1, 3], exact);
      }));

    it('writing into an expanded (stride 0) tensor throws', () =>
      tidyChecks((check) => {
        const base = flint.tensor([[1], [2]], { dtype: 'float32' });
        const e = base.expand(2, 3);
        expectThrowsClean(() => e.add_(1), /add_\(\).*single memory location/);
        expectThrowsClean(() => e.fill_(0), /fill_\(\).*single memory location/);
        const z = flint.zeros([2, 3]);
        expectThrowsClean(() => e.copy_(z), /copy_\(\).*single memory location/);
        check.values(base, [[1], [2]], exact);
        check.values(e, [[1, 1, 1], [2, 2, 2]], exact);
      }));

    it('copy_ from a source that does not broadcast to the destination', () =>
      tidyChecks((check) => {
        const d = flint.zeros([2, 3]);
        const src = flint.ones([3, 2]);
        expectThrowsClean(() => d.copy_(src), /copy_\(\).*\[2, 3\].*\[3, 2\]/);
        check.values(d, [[0, 0, 0], [0, 0, 0]], exact);
      }));
  });
}
