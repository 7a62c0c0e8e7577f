/** dtypes, promotion and casting, and reading values back. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, expectNewHandle, expectValues } from '../helpers.ts';

export function dtypeSuite(_ctx: SuiteContext): void {
  describe('tensor: dtypes and casting', () => {
    it("to('int32') truncates toward zero; to('bool') is != 0", () =>
      flint.tidy(() => {
        const x = flint.tensor([-2.7, -0.5, 0, 0.5, 2.7, 3.9]);
        const i = x.to('int32');
        expect(i.dtype).toBe('int32');
        expect(i.tolistSync()).toEqual([-2, 0, 0, 0, 2, 3]);
        expect(x.int().tolistSync()).toEqual([-2, 0, 0, 0, 2, 3]);
        const b = x.to('bool');
        expect(b.dtype).toBe('bool');
        expect(b.tolistSync()).toEqual([true, true, false, true, true, true]);
        expect(flint.tensor([NaN, 0]).bool().tolistSync()).toEqual([true, false]);
        expect(flint.tensor([0, 3, -1]).bool().tolistSync()).toEqual([false, true, true]);
        expectNewHandle(x.to('float32'), x);
      }));

    it('float() and int() of other dtypes', () =>
      flint.tidy(() => {
        const f = flint.tensor([1, -2, 3]).float();
        expect(f.dtype).toBe('float32');
        expectValues(f, [1, -2, 3], exact);
        const fb = flint.tensor([true, false]).float();
        expect(fb.dtype).toBe('float32');
        expectValues(fb, [1, 0], exact);
        const ib = flint.tensor([true, false, true]).int();
        expect(ib.dtype).toBe('int32');
        expect(ib.tolistSync()).toEqual([1, 0, 1]);
        // Casting a non-contiguous view reads in logical order.
        const t = flint.tensor([[1.5, 2.5], [3.5, 4.5]]).T.int();
        expect(t.tolistSync()).toEqual([[1, 3], [2, 4]]);
      }));

    it('comparisons give bool tensors', () =>
      flint.tidy(() => {
        const a = flint.tensor([1, 2, 3]);
        const gt = a.gt(2);
        expect(gt.dtype).toBe('bool');
        expect(gt.tolistSync()).toEqual([false, false, true]);
        expect(a.eq(flint.tensor([1, 0, 3])).tolistSync()).toEqual([true, false, true]);
        expect(a.le(2.5).tolistSync()).toEqual([true, true, false]);
        expect(flint.tensor([1.5, NaN]).ne(1.5).tolistSync()).toEqual([false, true]);
        const m = flint.tensor([[1], [2]]).lt(flint.tensor([2, 3]));
        expect(m.dtype).toBe('bool');
        expect(m.tolistSync()).toEqual([[true, true], [false, true]]);
      }));

    it('where with scalars and tensors', () =>
      flint.tidy(() => {
        const c = flint.tensor([true, false, true]);
        const w = flint.where(c, 1.5, 0);
        expect(w.dtype).toBe('float32');
        expectValues(w, [1.5, 0, 1.5], exact);
        expectValues(flint.where(c, flint.tensor([1, 2, 3], { dtype: 'float32' }), 0), [1, 0, 3], exact);
        const wi = flint.where(c, 1, 0);
        expect(wi.dtype).toBe('int32');
        expect(wi.tolistSync()).toEqual([1, 0, 1]);
        expectValues(flint.tensor([[1, 2]], { dtype: 'float32' }).where(flint.tensor([[true], [false]]), -1), [[1, 2], [-1, -1]], exact);
      }));

    it('int32 arithmetic stays int32; int / int gives float32', () =>
      flint.tidy(() => {
        const a = flint.tensor([7, -7, 5]);
        const b = flint.tensor([2, 2, -3]);
        const sum = a.add(b);
        expect(sum.dtype).toBe('int32');
        expect(sum.tolistSync()).toEqual([9, -5, 2]);
        const diff = a.sub(b);
        expect(diff.dtype).toBe('int32');
        expect(diff.tolistSync()).toEqual([5, -9, 8]);
        const prod = a.mul(b);
        expect(prod.dtype).toBe('int32');
        expect(prod.tolistSync()).toEqual([14, -14, -15]);
        const scaled = a.mul(3);
        expect(scaled.dtype).toBe('int32');
        expect(scaled.tolistSync()).toEqual([21, -21, 15]);
        expect(a.add(2).dtype).toBe('int32');
        const q = a.div(b);
        expect(q.dtype).toBe('float32');
        expectValues(q, [3.5, -3.5, -1.6666666269302368]);
      }));

    it('bool sum counts in int32', () =>
      flint.tidy(() => {
        const s = flint.tensor([true, false, true, true]).sum();
        expect(s.dtype).toBe('int32');
        expect(s.itemSync()).toBe(3);
        const rows = flint.tensor([[true, true], [false, true]]).sum(1);
        expect(rows.dtype).toBe('int32');
        expect(rows.tolistSync()).toEqual([2, 1]);
      }));

    it('type promotion: int32 with float32 gives float32, as does int with 0.5', () =>
      flint.tidy(() => {
        const a = flint.tensor([7, -7, 5]);
        const mixed = a.add(flint.tensor([0.5, 0.5, 0.5]));
        expect(mixed.dtype).toBe('float32');
        expectValues(mixed, [7.5, -6.5, 5.5], exact);
        const half = a.add(0.5);
        expect(half.dtype).toBe('float32');
        expectValues(half, [7.5, -6.5, 5.5], exact);
        expect(flint.tensor([true]).add(flint.tensor([2])).dtype).toBe('int32');
        expect(flint.promoteTypes('int32', 'float32')).toBe('float32');
        expect(flint.promoteTypes('bool', 'int32')).toBe('int32');
        expect(flint.promoteTypes('bool', 'bool')).toBe('bool');
      }));
  });
  describe('tensor: reading values', () => {
    it('data() and dataSync() return host typed arrays in logical order', async () => {
      const [f, i, b, t] = flint.tidy(() => {
        const base = flint.tensor([[1.5, 2.5], [3.5, 4.5]]);
        return [base, flint.tensor([1, 2, 3]), flint.tensor([true, false]), base.T];
      });
      try {
        const fd = await f.data();
        expect(fd).toBeInstanceOf(Float32Array);
        expect(Array.from(fd)).toEqual([1.5, 2.5, 3.5, 4.5]);
        expect(Array.from(f.dataSync())).toEqual([1.5, 2.5, 3.5, 4.5]);
        const id = await i.data();
        expect(id).toBeInstanceOf(Int32Array);
        expect(Array.from(id)).toEqual([1, 2, 3]);
        expect(i.dataSync()).toBeInstanceOf(Int32Array);
        const bd = await b.data();
        expect(bd).toBeInstanceOf(Uint8Array);
        expect(Array.from(bd)).toEqual([1, 0]);
        expect(Array.from(await t.data())).toEqual([1.5, 3.5, 2.5, 4.5]);
        expect(Array.from(t.dataSync())).toEqual([1.5, 3.5, 2.5, 4.5]);
      } finally {
        for (const x of [f, i, b, t]) x.dispose();
      }
    });

    it('item() and itemSync() of one-element tensors', async () => {
      const [s, one, bool, n] = flint.tidy(() => [flint.tensor(4.25), flint.tensor([[7]]), flint.tensor([true]), flint.tensor([1, 2])]);
      try {
        expect(await s.item()).toBe(4.25);
        expect(s.itemSync()).toBe(4.25);
        expect(await one.item()).toBe(7);
        expect(one.itemSync()).toBe(7);
        expect(bool.itemSync()).toBe(true);
        expect(() => n.itemSync()).toThrow(/2 elements/);
        await expect(n.item()).rejects.toThrow(/2 elements/);
      } finally {
        for (const x of [s, one, bool, n]) x.dispose();
      }
    });

    it('tolist() and tolistSync() give nested arrays (booleans for bool)', async () => {
      const [f, b, z, v] = flint.tidy(() => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        return [x, x.gt(2), flint.tensor(2.5), x.T];
      });
      try {
        expect(await f.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
        expect(f.tolistSync()).toEqual([[0, 1, 2], [3, 4, 5]]);
        expect(await b.tolist()).toEqual([[false, false, false], [true, true, true]]);
        expect(b.tolistSync()).toEqual([[false, false, false], [true, true, true]]);
        expect(await z.tolist()).toBe(2.5);
        expect(z.tolistSync()).toBe(2.5);
        expect(v.tolistSync()).toEqual([[0, 3], [1, 4], [2, 5]]);
      } finally {
        for (const x of [f, b, z, v]) x.dispose();
      }
    });
  });
}
