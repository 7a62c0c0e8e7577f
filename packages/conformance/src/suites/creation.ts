/** Creation from data, constants and ranges, and device bookkeeping. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, f32, tidyChecks } from '../helpers.ts';

export function creationSuite(ctx: SuiteContext): void {
  describe('tensor: creation', () => {
    it('tensor() infers int32 from integers, bool from booleans, float32 otherwise', () =>
      tidyChecks((check) => {
        const i = flint.tensor([[1, 2], [3, 4]]);
        expect(i.dtype).toBe('int32');
        expect([...i.shape]).toEqual([2, 2]);
        check.list(i, [[1, 2], [3, 4]]);

        const b = flint.tensor([[true], [false]]);
        expect(b.dtype).toBe('bool');
        expect([...b.shape]).toEqual([2, 1]);
        check.list(b, [[true], [false]]);

        const f = flint.tensor([1, 2.5, -3]);
        expect(f.dtype).toBe('float32');
        check.values(f, [1, 2.5, -3], exact);

        const g = flint.tensor([[0.1, 0.2, 0.3]]);
        expect(g.dtype).toBe('float32');
        expect([...g.shape]).toEqual([1, 3]);
        check.values(g, [[f32(0.1), f32(0.2), f32(0.3)]], exact);

        const forced = flint.tensor([1, 2], { dtype: 'float32' });
        expect(forced.dtype).toBe('float32');
        check.values(forced, [1, 2], exact);

        const empty = flint.tensor([]);
        expect(empty.dtype).toBe('float32');
        expect([...empty.shape]).toEqual([0]);
        expect(empty.size).toBe(0);
      }));

    it('tensor() from typed arrays is 1-D with the array dtype', () =>
      tidyChecks((check) => {
        const f = flint.tensor(new Float32Array([1.5, -2, 3]));
        expect(f.dtype).toBe('float32');
        expect([...f.shape]).toEqual([3]);
        check.values(f, [1.5, -2, 3], exact);

        const i = flint.tensor(new Int32Array([7, -8]));
        expect(i.dtype).toBe('int32');
        check.list(i, [7, -8]);

        const asFloat = flint.tensor(new Int32Array([1, 2]), { dtype: 'float32' });
        expect(asFloat.dtype).toBe('float32');
        check.values(asFloat, [1, 2], exact);
      }));

    it('scalars make 0-d tensors', () =>
      tidyChecks((check) => {
        const i = flint.tensor(5);
        expect(i.dtype).toBe('int32');
        expect([...i.shape]).toEqual([]);
        expect(i.ndim).toBe(0);
        expect(i.size).toBe(1);
        check.item(i, 5);

        const f = flint.tensor(2.5);
        expect(f.dtype).toBe('float32');
        check.item(f, 2.5);

        const b = flint.tensor(true);
        expect(b.dtype).toBe('bool');
        check.list(b, true);
      }));

    it('zeros, ones, full and empty have the requested shape and dtype', () =>
      tidyChecks((check) => {
        const z = flint.zeros([2, 3]);
        expect(z.dtype).toBe('float32');
        check.values(z, [[0, 0, 0], [0, 0, 0]], exact);

        const z1 = flint.zeros(4);
        expect([...z1.shape]).toEqual([4]);

        const z0 = flint.zeros([]);
        expect([...z0.shape]).toEqual([]);
        check.item(z0, 0);

        const o = flint.ones([2], { dtype: 'int32' });
        expect(o.dtype).toBe('int32');
        check.list(o, [1, 1]);

        const ob = flint.ones([2, 1], { dtype: 'bool' });
        expect(ob.dtype).toBe('bool');
        check.list(ob, [[true], [true]]);

        const f = flint.full([2, 2], 7.5);
        expect(f.dtype).toBe('float32');
        check.values(f, [[7.5, 7.5], [7.5, 7.5]], exact);

        const fb = flint.full([3], true);
        expect(fb.dtype).toBe('bool');
        check.list(fb, [true, true, true]);

        const fi = flint.full([2], -3, { dtype: 'int32' });
        expect(fi.dtype).toBe('int32');
        check.list(fi, [-3, -3]);

        const e = flint.empty([2, 3]);
        expect(e.dtype).toBe('float32');
        expect([...e.shape]).toEqual([2, 3]);
        check.that(e.data().then((v) => expect(v.length).toBe(6)));

        const ei = flint.empty([0, 4], { dtype: 'int32' });
        expect(ei.dtype).toBe('int32');
        expect([...ei.shape]).toEqual([0, 4]);
        expect(ei.size).toBe(0);
      }));

    it('arange: end; start, end; start, end, step (integer and float)', () =>
      tidyChecks((check) => {
        const a = flint.arange(5);
        expect(a.dtype).toBe('int32');
        check.list(a, [0, 1, 2, 3, 4]);

        check.list(flint.arange(2, 7), [2, 3, 4, 5, 6]);
        check.list(flint.arange(1, 10, 3), [1, 4, 7]);
        check.list(flint.arange(5, 0, -2), [5, 3, 1]);
        expect([...flint.arange(3, 3).shape]).toEqual([0]);

        const q = flint.arange(0, 1, 0.25);
        expect(q.dtype).toBe('float32');
        check.values(q, [0, 0.25, 0.5, 0.75], exact);

        // torch.arange(0, 1, 0.1)
        const t = flint.arange(0, 1, 0.1);
        expect(t.dtype).toBe('float32');
        check.values(t, [
          0.0, 0.10000000149011612, 0.20000000298023224, 0.30000001192092896, 0.4000000059604645, 0.5, 0.6000000238418579,
          0.699999988079071, 0.800000011920929, 0.8999999761581421,
        ]);

        check.values(flint.arange(1, 2.5, 0.5), [1, 1.5, 2], exact);

        const fl = flint.arange(3, { dtype: 'float32' });
        expect(fl.dtype).toBe('float32');
        check.values(fl, [0, 1, 2], exact);
      }));

    it('linspace matches PyTorch and hits both endpoints exactly', () =>
      tidyChecks((check) => {
        const a = flint.linspace(0, 1, 5);
        expect(a.dtype).toBe('float32');
        check.values(a, [0, 0.25, 0.5, 0.75, 1], exact);

        // torch.linspace(-1, 1, 7)
        check.values(flint.linspace(-1, 1, 7), [-1.0, -0.6666666269302368, -0.3333333134651184, -2.9802322387695312e-8, 0.3333333134651184, 0.6666666269302368, 1.0]);

        // torch.linspace(0, 1, 10)
        const ten = flint.linspace(0, 1, 10);
        check.values(ten, [
          0.0, 0.1111111119389534, 0.2222222238779068, 0.3333333432674408, 0.4444444477558136, 0.5555555820465088, 0.6666666865348816,
          0.7777777910232544, 0.8888888955116272, 1.0,
        ]);
        check.that(ten.data().then((d) => expect([d[0], d[9]]).toEqual([0, 1])));

        // torch.linspace(3, -2, 4)
        const down = flint.linspace(3, -2, 4);
        check.values(down, [3.0, 1.3333333730697632, -0.3333333730697632, -2.0]);
        check.that(down.data().then((d) => expect([d[0], d[3]]).toEqual([3, -2])));

        check.values(flint.linspace(2, 5, 1), [2], exact);
        expect([...flint.linspace(0, 1, 0).shape]).toEqual([0]);
      }));

    it('eye, square and rectangular', () =>
      tidyChecks((check) => {
        const e = flint.eye(3);
        expect(e.dtype).toBe('float32');
        check.values(e, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], exact);
        check.values(flint.eye(2, 4), [[1, 0, 0, 0], [0, 1, 0, 0]], exact);
        check.values(flint.eye(3, 2), [[1, 0], [0, 1], [0, 0]], exact);
        const ei = flint.eye(2, 2, { dtype: 'int32' });
        expect(ei.dtype).toBe('int32');
        check.list(ei, [[1, 0], [0, 1]]);
      }));

    it('*Like factories keep shape and dtype (unless overridden)', () =>
      tidyChecks((check) => {
        const i = flint.tensor([[1, 2, 3], [4, 5, 6]]);
        const z = flint.zerosLike(i);
        expect(z.dtype).toBe('int32');
        check.list(z, [[0, 0, 0], [0, 0, 0]]);

        const o = flint.onesLike(i);
        expect(o.dtype).toBe('int32');
        check.list(o, [[1, 1, 1], [1, 1, 1]]);

        const f = flint.fullLike(i, 9);
        expect(f.dtype).toBe('int32');
        check.list(f, [[9, 9, 9], [9, 9, 9]]);

        const e = flint.emptyLike(i);
        expect(e.dtype).toBe('int32');
        expect([...e.shape]).toEqual([2, 3]);

        const b = flint.onesLike(flint.tensor([false, false]));
        expect(b.dtype).toBe('bool');
        check.list(b, [true, true]);

        const zf = flint.zerosLike(i, { dtype: 'float32' });
        expect(zf.dtype).toBe('float32');
        expect([...zf.shape]).toEqual([2, 3]);

        const r = flint.randLike(flint.zeros([4, 5]));
        expect(r.dtype).toBe('float32');
        expect([...r.shape]).toEqual([4, 5]);
        const rn = flint.randnLike(flint.zeros([3]));
        expect([...rn.shape]).toEqual([3]);
      }));
  });
  describe('tensor: device', () => {
    it('tensors live on the backend under test', () =>
      tidyChecks((check) => {
        expect(flint.getBackendName()).toBe(ctx.name);
        const t = flint.tensor([1, 2, 3]);
        expect(t.device).toBe(ctx.name);
        expect(flint.zeros([2], { device: ctx.name }).device).toBe(ctx.name);
        expect(t.add(1).device).toBe(ctx.name);
        check.newHandle(t.to(ctx.name), t);
        expect(flint.backendFor(ctx.name)).toBe(t.backend);
      }));
  });
}
