/**
 * Edge cases every backend shares through core: scalar operands of where and alpha, in-place ops and
 * matmul and reductions on 0-sized tensors, and gradients where float32 formulas would cancel.
 * Expected values by hand, or from PyTorch 1.13 (the errors' wording, and fixtures/ops.json's
 * float64-made references).
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { decode, exact, tidyChecks } from '../helpers.ts';
import { loadFixtures } from './fixtures.ts';
import { opTables } from '../tables/index.ts';
import type { Tolerance } from '../tolerances.ts';

function buffers(device: string): number {
  return flint.memory().backends[device]?.buffers ?? 0;
}

/**
 * Gradient tolerances of the accuracy fixtures, against correctly rounded references: a few ulps
 * (1 ulp is 6e-8 to 1.2e-7 relative), far below the cancelling formulas' errors (tanh 4.7e-5,
 * sigmoid up to 1, gelu 2e-3, tanh-gelu 2.5e-5, cumsum's total - cumsum + g 1e-3 and more).
 */
const accuracy: Record<string, Tolerance> = {
  'tanh gradient 4 <= |x| <= 9': { rtol: 2e-6, atol: 0 },
  'sigmoid gradient 5 <= |x| <= 30': { rtol: 2e-6, atol: 0 },
  'silu gradient 5 <= |x| <= 30': { rtol: 2e-6, atol: 0 },
  'softplus gradient 5 <= |x| <= 30': { rtol: 2e-6, atol: 0 },
  'gelu gradient -10 <= x <= -3': { rtol: 1e-5, atol: 0 },
  'geluTanh gradient -9 <= x <= -3': { rtol: 5e-6, atol: 0 },
  // Suffix sums of 3000 weights of magnitude up to 2 that sum to about 0: a float32 accumulator's
  // rounding (a float64 one, as on cpu-js, is far inside this) is absolute, not relative.
  'cumsum long': { rtol: 1e-5, atol: 5e-5 },
};
/** Fixtures whose gradients must match PyTorch's exactly: 0 where the deviation is 0, NaN passing through. */
const exactGradients = ['std constant slice', 'maximum NaN', 'minimum NaN', 'relu NaN'];

export function edgeCaseSuite(ctx: SuiteContext): void {
  describe('edge cases: scalar operands', () => {
    it('argmax and argmin of a 0-d tensor are index 0 (PyTorch 1.13)', () =>
      tidyChecks((check) => {
        const x = flint.tensor(0.5, { dtype: 'float32' });
        for (const t of [x.argmax(0), x.argmax(), x.argmin(0, true), flint.argmax(x, -1)]) {
          expect([...t.shape]).toEqual([]);
          check.list(t, 0);
        }
      }));

    it('where takes NaN and other scalars on either side and frees its temporaries', async () => {
      const m = flint.tensor([true, false, true]);
      const x = flint.tensor([1, 2, 3], { dtype: 'float32' });
      const before = buffers(ctx.name);
      for (let i = 0; i < 3; i++) {
        flint.where(m, NaN, x).dispose();
        flint.where(m, x, NaN).dispose();
        flint.where(m, NaN, 0.5).dispose();
      }
      expect(buffers(ctx.name), 'buffers held after where').toBe(before);
      await tidyChecks((check) => {
        check.values(flint.where(m, NaN, x), ['nan', 2, 'nan'] as never, exact);
        check.values(flint.where(m, x, NaN), [1, 'nan', 3] as never, exact);
        check.values(flint.where(m, NaN, 0.5), ['nan', 0.5, 'nan'] as never, exact);
        check.values(flint.where(m, 1.5, 2.5), [1.5, 2.5, 1.5], exact);
      });
      m.dispose();
      x.dispose();
    });

    it('add and sub with alpha and a scalar other, out of place and in place', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], { dtype: 'float32' });
        check.values(x.add(2, { alpha: 3 }), [7, 8, 9], exact);
        check.values(x.sub(2, { alpha: 3 }), [-5, -4, -3], exact);
        check.values(flint.tensor([1, 2, 3]).add(2, { alpha: 3 }), [7, 8, 9], exact);
        check.values(flint.tensor([1, 2]).add_(2, { alpha: 3 }), [7, 8], exact);
        check.values(flint.tensor([1, 2], { dtype: 'float32' }).sub_(2, { alpha: 0.5 }), [0, 1], exact);
        const leaf = flint.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
        const y = leaf.add(1, { alpha: 2 });
        y.sum().backward();
        check.values(y, [3, 4], exact);
        check.values(leaf.grad!, [1, 1], exact);
      }));
  });

  describe('edge cases: empty tensors', () => {
    it('in-place ops on empty tensors are no-ops, not aliasing errors', () =>
      tidyChecks(() => {
        for (const shape of [[3, 0], [0], [0, 4, 2]]) {
          const t = flint.zeros(shape);
          t.add_(1).mul_(2).sub_(flint.ones(shape)).zero_().fill_(3).copy_(flint.ones(shape));
          expect([...t.shape]).toEqual(shape);
          expect(t.size).toBe(0);
        }
      }));

    it('optimizer steps on empty parameters', async () => {
      for (const make of [
        (p: flint.nn.Parameter[]) => new flint.optim.SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }),
        (p: flint.nn.Parameter[]) => new flint.optim.Adam(p, { lr: 0.1 }),
        (p: flint.nn.Parameter[]) => new flint.optim.AdamW(p, { lr: 0.1 }),
      ]) {
        const empty = new flint.nn.Parameter(flint.zeros([3, 0]));
        const full = new flint.nn.Parameter(flint.ones([2]));
        const opt = make([empty, full]);
        for (let step = 0; step < 2; step++) {
          opt.zeroGrad();
          flint.tidy(() => empty.sum().add(full.sum()).backward());
          opt.step();
        }
        expect([...empty.shape]).toEqual([3, 0]);
        const values = Array.from(await full.data());
        expect(values.every((v) => v < 1)).toBe(true);
        empty.dispose();
        full.dispose();
      }
    });

    it('matmul with 0-sized dims gives zeros or empty results, as torch.matmul', () =>
      tidyChecks((check) => {
        const cases: Array<[number[], number[], number[]]> = [
          [[2, 3, 0], [0, 4], [2, 3, 4]],
          [[3, 0], [0, 4], [3, 4]],
          [[0], [0], []],
          [[0], [0, 4], [4]],
          [[2, 0], [0], [2]],
          [[0], [2, 0, 4], [2, 4]],
          [[2, 3, 0], [2, 0, 4], [2, 3, 4]],
          [[2, 0, 3], [3, 4], [2, 0, 4]],
          [[0, 3], [3, 4], [0, 4]],
          [[0, 2, 3], [0, 3, 4], [0, 2, 4]],
          [[2, 1, 3, 0], [5, 0, 4], [2, 5, 3, 4]],
        ];
        for (const [sa, sb, so] of cases) {
          const a = flint.ones(sa, { requiresGrad: true });
          const b = flint.ones(sb, { requiresGrad: true });
          const out = flint.matmul(a, b);
          expect([...out.shape], `${sa} @ ${sb}`).toEqual(so);
          check.that(out.data().then((d) => expect(Array.from(d).every((v) => v === 0), `${sa} @ ${sb} values`).toBe(true)));
          out.sum().backward();
          expect([...a.grad!.shape]).toEqual(sa);
          expect([...b.grad!.shape]).toEqual(sb);
        }
        // With k > 0 and a 0-sized output the gradients are zeros of the operands' shapes.
        const a = flint.ones([0, 3], { requiresGrad: true });
        const b = flint.ones([3, 2], { requiresGrad: true });
        flint.matmul(a, b).sum().backward();
        check.values(b.grad!, [[0, 0], [0, 0], [0, 0]], exact);
      }));

    it('reductions over empty dims: identities where PyTorch has them, its errors where it raises', () =>
      tidyChecks((check) => {
        const z30 = flint.zeros([3, 0]);
        const z03 = flint.zeros([0, 3]);
        check.list(z30.all(1), [true, true, true]);
        check.list(z30.any(1), [false, false, false]);
        check.list(z30.all(), true);
        check.list(z30.any(), false);
        check.list(z30.all(1, true), [[true], [true], [true]]);
        expect([...z03.all(1).shape]).toEqual([0]);
        check.values(z30.sum(1), [0, 0, 0], exact);
        check.values(z30.prod(1), [1, 1, 1], exact);
        check.values(z30.mean(1), ['nan', 'nan', 'nan'] as never, exact);
        check.values(z30.var(1), ['nan', 'nan', 'nan'] as never, exact);
        check.values(z30.std(1), ['nan', 'nan', 'nan'] as never, exact);
        check.values(z30.logsumexp(1), ['-inf', '-inf', '-inf'] as never, exact);
        check.values(flint.logsumexp(z30, [0, 1]), '-inf' as never, exact);
        for (const t of [z03.amax(1), z03.amin(1), z03.logsumexp(1), flint.maxDim(z03, 1).values, z03.argmax(1), z03.var(1), z03.sum(1)]) {
          expect([...t.shape]).toEqual([0]);
        }
        expect([...z30.cumsum(1).shape]).toEqual([3, 0]);
        expect(() => z03.amax(0)).toThrow('amax(): Expected reduction dim 0 to have non-zero size.');
        expect(() => z30.amin(1)).toThrow('amin(): Expected reduction dim 1 to have non-zero size.');
        expect(() => z03.amax()).toThrow(/amax\(\): Expected reduction dim to be specified for input.numel\(\) == 0/);
        expect(() => z03.max()).toThrow(/max\(\): Expected reduction dim to be specified for input.numel\(\) == 0/);
        expect(() => flint.maxDim(z30, 1)).toThrow('max(): Expected reduction dim 1 to have non-zero size.');
        expect(() => z30.argmax(1)).toThrow('argmax(): Expected reduction dim 1 to have non-zero size.');
        expect(() => z30.argmax()).toThrow('argmax(): Expected reduction dim to be specified for input.numel() == 0.');
      }));
  });

  describe('edge cases: gradients against PyTorch', () => {
    const cases = loadFixtures().get('ops') ?? [];
    for (const [name, tol] of [...Object.entries(accuracy), ...exactGradients.map((n) => [n, exact] as const)]) {
      it(name, () =>
        tidyChecks((check) => {
          const c = cases.find((x) => x.name === name);
          expect(c, `fixture ${name}`).toBeDefined();
          const leaves = c!.inputs.map((e) => decode(e, ctx.name).requiresGrad_(true));
          const out = opTables[c!.op]!(leaves, c!.args);
          out.mul(decode(c!.gradWeight!, ctx.name)).sum().backward();
          c!.grads!.forEach((g, i) => check.close(leaves[i]!.grad!, g!, tol, `grad[${i}]`));
        }));
    }
    it('gelu gradients at huge and infinite x are their limits 1 and 0, not NaN (PyTorch 1.13 gives NaN)', () =>
      tidyChecks((check) => {
        for (const approximate of ['none', 'tanh'] as const) {
          const x = flint.tensor([1.84e19, 3e19, Infinity, -Infinity, -3e19], { dtype: 'float32', requiresGrad: true });
          flint.gelu(x, { approximate }).sum().backward();
          check.values(x.grad!, [1, 1, 1, 0, 0], exact);
        }
      }));
    it('cumsum gradient over 20000 elements keeps relative accuracy at the far end', () =>
      tidyChecks((check) => {
        const n = 20000;
        const x = flint.zeros([n], { requiresGrad: true });
        x.cumsum(0).mul(0.1).sum().backward();
        // The adjoint is the running sum from the end: (n - i) * fround(0.1), by hand.
        const expected = Array.from({ length: n }, (_, i) => (n - i) * Math.fround(0.1));
        check.close(x.grad!, { shape: [n], data: expected }, { rtol: 1e-5, atol: 0 }, 'grad');
      }));
    // Relative accuracy in the tail, where 1 - erf would have none: the fit's 1.2e-7, plus the
    // rounding of its exponent -z^2 (about z^2 * 6e-8: 6e-6 at z = 9) in kernels that compute in float32.
    it('erfc values, against PyTorch in float64', () =>
      tidyChecks((check) => {
        const c = cases.find((x) => x.name === 'erfc values')!;
        check.close(flint.erfc(decode(c.inputs[0]!, ctx.name)), c.output, { rtol: 1e-5, atol: 0 }, 'erfc');
      }));
  });
}
