/** dtypes, promotion and casting, and reading values back. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, readsSynchronously, tidyChecks } from '../helpers.ts';

export function dtypeSuite(_ctx: SuiteContext): void {
  describe('tensor: dtypes and casting', () => {
    it("to('int32') truncates toward zero; to('bool') is != 0", () =>
      tidyChecks((check) => {
        const x = flint.tensor([-2.7, -0.5, 0, 0.5, 2.7, 3.9]);
        const i = x.to('int32');
        expect(i.dtype).toBe('int32');
        check.list(i, [-2, 0, 0, 0, 2, 3]);
        check.list(x.int(), [-2, 0, 0, 0, 2, 3]);
        const b = x.to('bool');
        expect(b.dtype).toBe('bool');
        check.list(b, [true, true, false, true, true, true]);
        check.list(flint.tensor([NaN, 0]).bool(), [true, false]);
        check.list(flint.tensor([0, 3, -1]).bool(), [false, true, true]);
        check.newHandle(x.to('float32'), x);
      }));

    it('float() and int() of other dtypes', () =>
      tidyChecks((check) => {
        const f = flint.tensor([1, -2, 3]).float();
        expect(f.dtype).toBe('float32');
        check.values(f, [1, -2, 3], exact);
        const fb = flint.tensor([true, false]).float();
        expect(fb.dtype).toBe('float32');
        check.values(fb, [1, 0], exact);
        const ib = flint.tensor([true, false, true]).int();
        expect(ib.dtype).toBe('int32');
        check.list(ib, [1, 0, 1]);
        // Casting a non-contiguous view reads in logical order.
        const t = flint.tensor([[1.5, 2.5], [3.5, 4.5]]).T.int();
        check.list(t, [[1, 3], [2, 4]]);
      }));

    it('comparisons give bool tensors', () =>
      tidyChecks((check) => {
        const a = flint.tensor([1, 2, 3]);
        const gt = a.gt(2);
        expect(gt.dtype).toBe('bool');
        check.list(gt, [false, false, true]);
        check.list(a.eq(flint.tensor([1, 0, 3])), [true, false, true]);
        check.list(a.le(2.5), [true, true, false]);
        check.list(flint.tensor([1.5, NaN]).ne(1.5), [false, true]);
        const m = flint.tensor([[1], [2]]).lt(flint.tensor([2, 3]));
        expect(m.dtype).toBe('bool');
        check.list(m, [[true, true], [false, true]]);
      }));

    it('where with scalars and tensors', () =>
      tidyChecks((check) => {
        const c = flint.tensor([true, false, true]);
        const w = flint.where(c, 1.5, 0);
        expect(w.dtype).toBe('float32');
        check.values(w, [1.5, 0, 1.5], exact);
        check.values(flint.where(c, flint.tensor([1, 2, 3], { dtype: 'float32' }), 0), [1, 0, 3], exact);
        const wi = flint.where(c, 1, 0);
        expect(wi.dtype).toBe('int32');
        check.list(wi, [1, 0, 1]);
        check.values(flint.tensor([[1, 2]], { dtype: 'float32' }).where(flint.tensor([[true], [false]]), -1), [[1, 2], [-1, -1]], exact);
      }));

    it('int32 arithmetic stays int32; int / int gives float32', () =>
      tidyChecks((check) => {
        const a = flint.tensor([7, -7, 5]);
        const b = flint.tensor([2, 2, -3]);
        const sum = a.add(b);
        expect(sum.dtype).toBe('int32');
        check.list(sum, [9, -5, 2]);
        const diff = a.sub(b);
        expect(diff.dtype).toBe('int32');
        check.list(diff, [5, -9, 8]);
        const prod = a.mul(b);
        expect(prod.dtype).toBe('int32');
        check.list(prod, [14, -14, -15]);
        const scaled = a.mul(3);
        expect(scaled.dtype).toBe('int32');
        check.list(scaled, [21, -21, 15]);
        expect(a.add(2).dtype).toBe('int32');
        const q = a.div(b);
        expect(q.dtype).toBe('float32');
        check.values(q, [3.5, -3.5, -1.6666666269302368]);
      }));

    it('bool sum counts in int32', () =>
      tidyChecks((check) => {
        const s = flint.tensor([true, false, true, true]).sum();
        expect(s.dtype).toBe('int32');
        check.item(s, 3);
        const rows = flint.tensor([[true, true], [false, true]]).sum(1);
        expect(rows.dtype).toBe('int32');
        check.list(rows, [2, 1]);
      }));

    it('type promotion: int32 with float32 gives float32, as does int with 0.5', () =>
      tidyChecks((check) => {
        const a = flint.tensor([7, -7, 5]);
        const mixed = a.add(flint.tensor([0.5, 0.5, 0.5]));
        expect(mixed.dtype).toBe('float32');
        check.values(mixed, [7.5, -6.5, 5.5], exact);
        const half = a.add(0.5);
        expect(half.dtype).toBe('float32');
        check.values(half, [7.5, -6.5, 5.5], exact);
        expect(flint.tensor([true]).add(flint.tensor([2])).dtype).toBe('int32');
        expect(flint.promoteTypes('int32', 'float32')).toBe('float32');
        expect(flint.promoteTypes('bool', 'int32')).toBe('int32');
        expect(flint.promoteTypes('bool', 'bool')).toBe('bool');
      }));
  });
  describe('tensor: reading values', () => {
    it('a read sees the values as of the call, not later in-place writes or disposal', async () => {
      const t = flint.tensor([1, 2, 3], { dtype: 'float32' });
      const before = t.data();
      flint.noGrad(() => t.fill_(5));
      const after = t.tolist();
      t.dispose();
      expect(Array.from(await before)).toEqual([1, 2, 3]);
      expect(await after).toEqual([5, 5, 5]);
    });

    it('data() returns host typed arrays in logical order; dataSync() agrees where the backend reads synchronously', async () => {
      const [f, i, b, t] = flint.tidy(() => {
        const base = flint.tensor([[1.5, 2.5], [3.5, 4.5]]);
        return [base, flint.tensor([1, 2, 3]), flint.tensor([true, false]), base.T];
      });
      try {
        const fd = await f.data();
        expect(fd).toBeInstanceOf(Float32Array);
        expect(Array.from(fd)).toEqual([1.5, 2.5, 3.5, 4.5]);
        const id = await i.data();
        expect(id).toBeInstanceOf(Int32Array);
        expect(Array.from(id)).toEqual([1, 2, 3]);
        const bd = await b.data();
        expect(bd).toBeInstanceOf(Uint8Array);
        expect(Array.from(bd)).toEqual([1, 0]);
        expect(Array.from(await t.data())).toEqual([1.5, 3.5, 2.5, 4.5]);
        if (readsSynchronously(f)) {
          expect(Array.from(f.dataSync())).toEqual([1.5, 2.5, 3.5, 4.5]);
          expect(i.dataSync()).toBeInstanceOf(Int32Array);
          expect(Array.from(t.dataSync())).toEqual([1.5, 3.5, 2.5, 4.5]);
        } else {
          expect(() => t.dataSync()).toThrow(/dataSync\(\).*await t\.data\(\)/);
        }
      } finally {
        for (const x of [f, i, b, t]) x.dispose();
      }
    });

    it('item() of one-element tensors; itemSync() agrees where the backend reads synchronously', async () => {
      const [s, one, bool, n] = flint.tidy(() => [flint.tensor(4.25), flint.tensor([[7]]), flint.tensor([true]), flint.tensor([1, 2])]);
      try {
        expect(await s.item()).toBe(4.25);
        expect(await one.item()).toBe(7);
        expect(await bool.item()).toBe(true);
        expect(() => n.itemSync()).toThrow(/2 elements/);
        await expect(n.item()).rejects.toThrow(/2 elements/);
        if (readsSynchronously(s)) {
          expect(s.itemSync()).toBe(4.25);
          expect(one.itemSync()).toBe(7);
          expect(bool.itemSync()).toBe(true);
        } else {
          expect(() => s.itemSync()).toThrow(/itemSync\(\).*await t\.item\(\)/);
        }
      } finally {
        for (const x of [s, one, bool, n]) x.dispose();
      }
    });

    it('tolist() gives nested arrays (booleans for bool); tolistSync() agrees where the backend reads synchronously', async () => {
      const [f, b, z, v] = flint.tidy(() => {
        const x = flint.arange(6, { dtype: 'float32' }).reshape(2, 3);
        return [x, x.gt(2), flint.tensor(2.5), x.T];
      });
      try {
        expect(await f.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
        expect(await b.tolist()).toEqual([[false, false, false], [true, true, true]]);
        expect(await z.tolist()).toBe(2.5);
        expect(await v.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
        if (readsSynchronously(f)) {
          expect(f.tolistSync()).toEqual([[0, 1, 2], [3, 4, 5]]);
          expect(b.tolistSync()).toEqual([[false, false, false], [true, true, true]]);
          expect(z.tolistSync()).toBe(2.5);
          expect(v.tolistSync()).toEqual([[0, 3], [1, 4], [2, 5]]);
        } else {
          expect(() => v.tolistSync()).toThrow(/tolistSync\(\).*await t\.tolist\(\)/);
        }
      } finally {
        for (const x of [f, b, z, v]) x.dispose();
      }
    });
  });
}
