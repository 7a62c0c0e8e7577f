/** Views over shared storage, and joining and splitting. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, tidyChecks } from '../helpers.ts';

export function viewSuite(_ctx: SuiteContext): void {
  describe('tensor: views share storage', () => {
    it('reshape and view of a contiguous tensor are views', () =>
      tidyChecks((check) => {
        const x = flint.arange(6, { dtype: 'float32' });
        const v = x.view(2, 3);
        const r = x.reshape([3, -1]);
        expect([...v.shape]).toEqual([2, 3]);
        expect([...r.shape]).toEqual([3, 2]);
        check.values(r, [[0, 1], [2, 3], [4, 5]], exact);
        v.select(0, 1).fill_(-1);
        check.values(x, [0, 1, 2, -1, -1, -1], exact);
        check.values(r, [[0, 1], [2, -1], [-1, -1]], exact);
        flint.noGrad(() => r.copy_(flint.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32' })));
        check.values(v, [[1, 2, 3], [4, 5, 6]], exact);
      }));

    it('permute, transpose, T and mT are views with the right values', () =>
      tidyChecks((check) => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        const t = x.T;
        expect([...t.shape]).toEqual([3, 2]);
        expect(t.isContiguous()).toBe(false);
        check.values(t, [[0, 3], [1, 4], [2, 5]], exact);
        t.select(0, 0).mul_(10);
        check.values(x, [[0, 1, 2], [30, 4, 5]], exact);

        const y = flint.arange(12, { dtype: 'float32' }).reshape(2, 2, 3);
        check.values(y.mT, [[[0, 3], [1, 4], [2, 5]], [[6, 9], [7, 10], [8, 11]]], exact);

        const z = flint.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
        // torch.arange(24.).reshape(2, 3, 4).transpose(0, 2)
        check.values(z.transpose(0, 2), [
          [[0, 12], [4, 16], [8, 20]], [[1, 13], [5, 17], [9, 21]], [[2, 14], [6, 18], [10, 22]], [[3, 15], [7, 19], [11, 23]],
        ], exact);
        // .permute(2, 0, 1).reshape(4, 6)
        check.values(z.permute(2, 0, 1).reshape(4, 6), [
          [0, 4, 8, 12, 16, 20], [1, 5, 9, 13, 17, 21], [2, 6, 10, 14, 18, 22], [3, 7, 11, 15, 19, 23],
        ], exact);
        const p = z.permute([1, 2, 0]);
        expect([...p.shape]).toEqual([3, 4, 2]);
        p.index(0, 0).fill_(-5);
        check.that(z.data().then((d) => expect([d[0], d[12]]).toEqual([-5, -5])));
      }));

    it('expand broadcasts with stride 0 and sees writes to the base', () =>
      tidyChecks((check) => {
        const x = flint.tensor([[1], [2]], { dtype: 'float32' });
        const e = x.expand(2, 3);
        expect([...e.shape]).toEqual([2, 3]);
        expect([...e.strides]).toEqual([1, 0]);
        check.values(e, [[1, 1, 1], [2, 2, 2]], exact);
        check.values(x.expand(-1, 2), [[1, 1], [2, 2]], exact);
        check.values(x.expand(2, 2, 3), [[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]], exact);
        x.mul_(5);
        check.values(e, [[5, 5, 5], [10, 10, 10]], exact);
      }));

    it('in-place arithmetic writes through strided views and handles aliasing operands', () =>
      tidyChecks((check) => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape([2, 3]);
        // A transposed window: x.T[i][j] is x[j][i].
        x.T.add_(flint.tensor([[10, 20], [30, 40], [50, 60]], { dtype: 'float32' }));
        check.values(x, [[10, 31, 52], [23, 44, 65]], exact);
        // A strided slice changes only its own elements.
        x.index('...', [null, null, 2]).mul_(2);
        check.values(x, [[20, 31, 104], [46, 44, 130]], exact);
        // The same view on both sides (element for element), then one that overlaps differently.
        const y = flint.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
        y.add_(y);
        check.values(y, [[2, 4], [6, 8]], exact);
        y.sub_(y.T, { alpha: 0.5 });
        check.values(y, [[1, 1], [4, 4]], exact);
        // Broadcast other, int32 destination, scalar other.
        const i = flint.tensor([[1, 2, 3], [4, 5, 6]]);
        i.mul_(flint.tensor([2, 0, -1])).add_(7);
        check.values(i, [[9, 7, 4], [15, 7, 1]], exact);
      }));

    it('squeeze and unsqueeze', () =>
      tidyChecks((check) => {
        const x = flint.zeros([1, 3, 1]);
        expect([...x.squeeze().shape]).toEqual([3]);
        expect([...x.squeeze(0).shape]).toEqual([3, 1]);
        expect([...x.squeeze(-1).shape]).toEqual([1, 3]);
        expect([...x.squeeze(1).shape]).toEqual([1, 3, 1]);
        const s = x.squeeze();
        expect([...s.unsqueeze(0).shape]).toEqual([1, 3]);
        expect([...s.unsqueeze(-1).shape]).toEqual([3, 1]);
        expect([...s.unsqueeze(1).shape]).toEqual([3, 1]);
        flint.noGrad(() => s.copy_(flint.tensor([1, 2, 3], { dtype: 'float32' })));
        check.list(x, [[[1], [2], [3]]]);
        const u = s.unsqueeze(0);
        u.fill_(4);
        check.list(x, [[[4], [4], [4]]]);
      }));

    it('narrow and select', () =>
      tidyChecks((check) => {
        const x = flint.arange(12, { dtype: 'float32' }).reshape(3, 4);
        check.values(x.narrow(1, 1, 2), [[1, 2], [5, 6], [9, 10]], exact);
        check.values(x.narrow(0, -2, 1), [[4, 5, 6, 7]], exact);
        check.values(x.select(1, -1), [3, 7, 11], exact);
        check.values(x.select(0, 2), [8, 9, 10, 11], exact);
        x.narrow(1, 1, 2).fill_(0);
        check.values(x, [[0, 0, 0, 3], [4, 0, 0, 7], [8, 0, 0, 11]], exact);
        x.select(1, -1).mul_(-1);
        check.values(x, [[0, 0, 0, -3], [4, 0, 0, -7], [8, 0, 0, -11]], exact);
      }));

    it('index: numbers, slices with steps and negative bounds, null and ...', () =>
      tidyChecks((check) => {
        const x = flint.arange(24, { dtype: 'float32' }).reshape(2, 3, 4);
        // x[1, ::2, -1]
        check.values(x.index(1, [null, null, 2], -1), [15, 23], exact);
        // x[..., 1]
        check.values(x.index('...', 1), [[1, 5, 9], [13, 17, 21]], exact);
        // x[None, 0, 1:, None, ::3]
        const n = x.index(null, 0, [1, null], null, [null, null, 3]);
        expect([...n.shape]).toEqual([1, 2, 1, 2]);
        check.values(n, [[[[4, 7]], [[8, 11]]]], exact);
        // x[-1, -2:, 1:3]
        check.values(x.index(-1, [-2, null], [1, 3]), [[17, 18], [21, 22]], exact);
        // x[0, 5:10] is empty; x[0, -100:2] clamps
        expect([...x.index(0, [5, 10]).shape]).toEqual([0, 4]);
        check.values(x.index(0, [-100, 2]), [[0, 1, 2, 3], [4, 5, 6, 7]], exact);
        // slice objects and ':'
        check.values(x.index(0, ':', { start: 1, step: 2 }), [[1, 3], [5, 7], [9, 11]], exact);
        // x[0] alone keeps the trailing dims
        expect([...x.index(0).shape]).toEqual([3, 4]);

        const base = flint.zeros([6]);
        base.index([1, null, 2]).fill_(1);
        check.values(base, [0, 1, 0, 1, 0, 1], exact);
        base.index([null, null, 3]).add_(5);
        check.values(base, [5, 1, 0, 6, 0, 1], exact);
        flint.noGrad(() => base.index([-2, null]).copy_(flint.tensor([8, 9], { dtype: 'float32' })));
        check.values(base, [5, 1, 0, 6, 8, 9], exact);
      }));

    it('reshape of a non-contiguous tensor copies and keeps the values', () =>
      tidyChecks((check) => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        const t = x.T;
        const r = t.reshape(6);
        check.values(r, [0, 3, 1, 4, 2, 5], exact);
        expect(r.isContiguous()).toBe(true);
        r.fill_(-1);
        check.values(x, [[0, 1, 2], [3, 4, 5]], exact);
        check.values(t.reshape(2, 3), [[0, 3, 1], [4, 2, 5]], exact);
        check.values(t.flatten(), [0, 3, 1, 4, 2, 5], exact);
      }));

    it('view() of a layout that cannot be viewed throws', () =>
      tidyChecks((check) => {
        const t = flint.arange(6, { dtype: 'float32' }).reshape(2, 3).T;
        expect(() => t.view(6)).toThrow(/view.*not compatible.*reshape/is);
        // Splitting a dim is still a view of a transposed tensor.
        const ok = flint.arange(12, { dtype: 'float32' }).reshape(3, 4).T.view(2, 2, 3);
        check.values(ok, [[[0, 4, 8], [1, 5, 9]], [[2, 6, 10], [3, 7, 11]]], exact);
      }));

    it('contiguous and clone', () =>
      tidyChecks((check) => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        const y = flint.ones([2, 3]);
        check.newHandle(y.contiguous(), y);
        const c = x.T.contiguous();
        expect(c.isContiguous()).toBe(true);
        check.values(c, [[0, 3], [1, 4], [2, 5]], exact);
        const k = x.clone();
        check.values(k, [[0, 1, 2], [3, 4, 5]], exact);
        k.fill_(9);
        check.values(x, [[0, 1, 2], [3, 4, 5]], exact);
        const kt = x.T.clone();
        expect(kt.isContiguous()).toBe(true);
        check.values(kt, [[0, 3], [1, 4], [2, 5]], exact);
        const ki = flint.tensor([1, 2]).clone();
        expect(ki.dtype).toBe('int32');
      }));

    it('flatten(start, end)', () =>
      tidyChecks((check) => {
        const x = flint.arange(24).reshape(2, 3, 4);
        expect([...x.flatten().shape]).toEqual([24]);
        expect([...x.flatten(1).shape]).toEqual([2, 12]);
        expect([...x.flatten(0, 1).shape]).toEqual([6, 4]);
        expect([...x.flatten(-2, -1).shape]).toEqual([2, 12]);
        expect([...x.flatten(1, 1).shape]).toEqual([2, 3, 4]);
        check.list(x.flatten(0, 1), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15], [16, 17, 18, 19], [20, 21, 22, 23]]);
        expect([...flint.tensor(3).flatten().shape]).toEqual([1]);
      }));
  });
  describe('tensor: cat, stack, split, chunk', () => {
    it('cat along dims', () =>
      tidyChecks((check) => {
        const a = flint.tensor([[1, 2]]);
        const b = flint.tensor([[3, 4], [5, 6]]);
        const c = flint.cat([a, b]);
        expect(c.dtype).toBe('int32');
        check.list(c, [[1, 2], [3, 4], [5, 6]]);
        const d = flint.cat([flint.tensor([[1], [2]]), b], 1);
        check.list(d, [[1, 3, 4], [2, 5, 6]]);
        check.list(flint.cat([flint.tensor([[1], [2]]), b], -1), [[1, 3, 4], [2, 5, 6]]);
        // Non-contiguous inputs and float values.
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        check.values(flint.cat([x.T, x.T.mul(10)], 1), [[0, 3, 0, 30], [1, 4, 10, 40], [2, 5, 20, 50]], exact);
        check.values(flint.cat([flint.tensor([1.5]), flint.tensor([2.5, 3.5]), flint.tensor([4.5])]), [1.5, 2.5, 3.5, 4.5], exact);
      }));

    it('stack adds a new dim', () =>
      tidyChecks((check) => {
        const a = flint.tensor([1, 2]);
        const b = flint.tensor([3, 4]);
        check.list(flint.stack([a, b]), [[1, 2], [3, 4]]);
        check.list(flint.stack([a, b], 1), [[1, 3], [2, 4]]);
        check.list(flint.stack([a, b], -1), [[1, 3], [2, 4]]);
        expect([...flint.stack([a, b, a]).shape]).toEqual([3, 2]);
      }));

    it('split by size (uneven last piece) and by a size list', () =>
      tidyChecks((check) => {
        const x = flint.arange(7);
        check.lists(x.split(3), [[0, 1, 2], [3, 4, 5], [6]]);
        check.lists(flint.split(flint.arange(10), [2, 3, 5]), [[0, 1], [2, 3, 4], [5, 6, 7, 8, 9]]);
        const y = flint.arange(12).reshape(2, 6);
        const parts = y.split(4, 1);
        expect(parts.map((t) => [...t.shape])).toEqual([[2, 4], [2, 2]]);
        check.lists(parts, [[[0, 1, 2, 3], [6, 7, 8, 9]], [[4, 5], [10, 11]]]);
        // Pieces are views.
        const z = flint.zeros([4]);
        z.split(2)[1]!.fill_(1);
        check.values(z, [0, 0, 1, 1], exact);
      }));

    it('chunk, including uneven and fewer-than-asked chunks', () =>
      tidyChecks((check) => {
        check.lists(flint.arange(10).chunk(3), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
        check.lists(flint.arange(5).chunk(3), [[0, 1], [2, 3], [4]]);
        // torch.chunk(torch.arange(6), 4) gives 3 chunks of 2.
        check.lists(flint.chunk(flint.arange(6), 4), [[0, 1], [2, 3], [4, 5]]);
        const m = flint.arange(6).reshape(2, 3).chunk(2, 1);
        check.lists(m, [[[0, 1], [3, 4]], [[2], [5]]]);
      }));
  });
}
