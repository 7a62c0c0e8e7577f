/**
 * The math ops and activations beyond their fixtures: PyTorch's errors on bad input (naming the op,
 * changing nothing), the async predicates allclose/equal, integer division by zero, seeded random
 * activations (rrelu in training, gumbelSoftmax) and second derivatives.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectClose, expectValues, readsSynchronously, tidyChecks, withSavedSeed } from '../helpers.ts';

const F = flint.nn.functional;

/** Asserts `fn` throws an Error matching `pattern` and leaves the live tensor count unchanged. */
function expectThrowsClean(fn: () => unknown, pattern: RegExp): void {
  const before = flint.memory().tensors;
  expect(fn).toThrow(pattern);
  expect(flint.memory().tensors, 'tensors leaked by the failing call').toBe(before);
}

export function mathSuite(_ctx: SuiteContext): void {
  describe('math: errors', () => {
    it('shapes, dtypes and orders the op cannot take are refused in PyTorch words', () =>
      flint.tidy(() => {
        const [m23, m34, v4, v3, x243] = [[2, 3], [3, 4], [4], [3], [2, 4, 3]].map((s) => flint.zeros(s)) as flint.Tensor[];
        const ints = flint.tensor([1, 2, 3], { dtype: 'int32' });
        expectThrowsClean(() => flint.atan2(m23, m34), /atan2\(\).*\[2, 3\].*\[3, 4\]/);
        expectThrowsClean(() => flint.hypot(m23, ints), /hypot\(\): expected both inputs to be float32, got float32 and int32/);
        expectThrowsClean(() => ints.frac(), /frac\(\): expected a floating point tensor/);
        expectThrowsClean(() => flint.lerp(ints, ints, 0.5), /lerp\(\): expected float32 tensors/);
        expectThrowsClean(() => flint.addcdiv(ints, ints, ints), /addcdiv\(\): Integer division with addcdiv is no longer supported/);
        expectThrowsClean(() => flint.isclose(ints, v3!), /isclose\(\): int32 did not match float32/);
        expectThrowsClean(() => flint.isclose(v4, v4, { rtol: -1 }), /isclose\(\): rtol must be greater than or equal to zero/);
        expectThrowsClean(() => flint.linalg.vectorNorm(ints), /linalg\.vector_norm\(\): Expected a floating point tensor as input\. Got int32/);
        expectThrowsClean(() => flint.norm(ints), /norm\(\): input dtype should be either floating point/);
        expectThrowsClean(() => flint.linalg.matrixNorm(v4), /linalg\.matrix_norm\(\): The input tensor A must have at least 2 dimensions/);
        expectThrowsClean(() => flint.linalg.svdvals(v3!), /linalg\.svdvals\(\): The input tensor A must have at least 2 dimensions/);
        expectThrowsClean(() => flint.linalg.svdvals(ints), /linalg\.svdvals\(\): Expected a floating point tensor as input\. Got int32/);
        expectThrowsClean(() => flint.linalg.matrixNorm(m23, 3), /linalg\.matrix_norm\(\): Order 3 not supported/);
        expectThrowsClean(() => flint.cdist(v4, m34), /cdist\(\): cdist only supports at least 2D tensors, X1 got: 1D/);
        expectThrowsClean(() => flint.cdist(m23, m34), /cdist\(\): X1 and X2 must have the same number of columns\. X1: 3 X2: 4/);
        expectThrowsClean(() => flint.nanmean(ints), /nanmean\(\): expected input to have floating point dtype but got int32/);
        expectThrowsClean(() => F.prelu(x243!, v3!), /prelu\(\): Mismatch of parameter numbers and input channel size\. Found parameter numbers = 3 and channel size = 4/);
        expectThrowsClean(() => F.glu(m23, 1), /glu\(\): Halving dimension must be even, but dimension 1 is size 3/);
        expectThrowsClean(() => F.celu(m23, 0), /celu\(\): ZeroDivisionError/);
        expectThrowsClean(() => F.softshrink(m23, -1), /softshrink\(\): lambda must be greater or equal to 0, but found to be -1/);
        expectThrowsClean(() => F.rrelu(m23, { lower: 0.5, upper: 0.1 }), /rrelu\(\): Lower bound should be less than or equal to the upper bound/);
        expectThrowsClean(() => F.hardtanh(m23, 1, -1), /hardtanh\(\): min_val cannot be greater than max_val/);
      }));

    it('integer division by zero is a ZeroDivisionError, as in PyTorch', () =>
      tidyChecks((check) => {
        const a = flint.tensor([7, -7], { dtype: 'int32' });
        const withZero = flint.tensor([2, 0], { dtype: 'int32' });
        for (const op of ['fmod', 'remainder', 'floorDivide'] as const) {
          expectThrowsClean(() => flint[op](a, 0), new RegExp(`${op}\\(\\): ZeroDivisionError`));
          // A tensor divisor is read to check it only where reads are synchronous (see the op's docs).
          if (readsSynchronously(a)) expectThrowsClean(() => flint[op](a, withZero), new RegExp(`${op}\\(\\): ZeroDivisionError`));
        }
        // Elsewhere the documented results: quotients by 0 are 0 (-1 rounded down from a negative dividend).
        if (!readsSynchronously(a)) {
          const pair = flint.tensor([-7, 7], { dtype: 'int32' });
          check.list(flint.fmod(pair, withZero), [-1, 7]);
          check.list(flint.remainder(pair, withZero), [1, 7]);
          check.list(flint.floorDivide(pair, withZero), [-4, 0]);
        }
      }));
  });

  describe('math: predicates read asynchronously', () => {
    it('allclose and equal answer with booleans', async () => {
      const [a, b, c, withNan] = [[1, 2, 3], [1, 2 + 1e-6, 3], [1, 2.1, 3], [1, NaN, 3]].map((v) => flint.tensor(v, { dtype: 'float32' }));
      try {
        expect(await flint.allclose(a!, b!)).toBe(true);
        expect(await a!.allclose(c!)).toBe(false);
        expect(await flint.allclose(withNan!, withNan!)).toBe(false);
        expect(await flint.allclose(withNan!, withNan!, { equalNan: true })).toBe(true);
        expect(await flint.equal(a!, a!.clone())).toBe(true);
        expect(await a!.equal(b!)).toBe(false);
        expect(await flint.equal(withNan!, withNan!)).toBe(false);
        expect(await flint.equal(a!, a!.reshape(3, 1))).toBe(false);
      } finally {
        for (const t of [a, b, c, withNan]) t!.dispose();
      }
    });
  });

  describe('math: seeded random activations', () => {
    it('rrelu in training scales each negative element by its own slope in [lower, upper], the same for the same seed', () =>
      withSavedSeed(async () => {
        const values = Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? -1 - i / 10 : 0.5 + i / 10));
        const run = async (): Promise<{ out: number[]; grad: number[] }> => {
          const x = flint.tensor(values, { requiresGrad: true });
          const out = F.rrelu(x, { lower: 0.1, upper: 0.3, training: true, generator: new flint.Generator(5) });
          flint.tidy(() => out.sum().backward());
          try {
            return { out: Array.from(await out.data()), grad: Array.from(await x.grad!.data()) };
          } finally {
            out.dispose();
            x.dispose();
          }
        };
        const first = await run();
        const second = await run();
        expect(second.out).toEqual(first.out);
        const slopes = new Set<number>();
        values.forEach((v, i) => {
          if (v > 0) {
            expect(first.out[i]).toBe(Math.fround(v));
            expect(first.grad[i]).toBe(1);
          } else {
            const slope = first.out[i]! / Math.fround(v);
            expect(slope).toBeGreaterThanOrEqual(0.1 - 1e-6);
            expect(slope).toBeLessThanOrEqual(0.3 + 1e-6);
            expect(first.grad[i]).toBeCloseTo(slope, 5);
            slopes.add(Math.round(slope * 1e4));
          }
        });
        expect(slopes.size, 'slopes drawn per element').toBeGreaterThan(16);
      }));

    it('gumbelSoftmax samples a distribution, shift-invariant in the logits; hard gives one-hot with the soft gradient', () =>
      withSavedSeed(() =>
        tidyChecks((check) => {
          const logits = flint.tensor([[0.5, -1, 2, 0.1], [3, 3, -2, 0]]);
          const sample = (l: flint.Tensor, hard = false): flint.Tensor => F.gumbelSoftmax(l, { tau: 0.7, hard, generator: new flint.Generator(11) });
          const soft = sample(logits);
          check.close(soft.sum(-1), { shape: [2], data: [1, 1] }, { rtol: 1e-5, atol: 1e-6 });
          check.close(sample(logits.add(5)), { shape: soft.shape, data: soft.data() }, { rtol: 1e-4, atol: 1e-6 }, 'shifted logits');
          const hard = sample(logits, true);
          const oneHot = flint.nn.functional.oneHot(soft.argmax(-1), 4).float();
          check.close(hard, { shape: [2, 4], data: oneHot.data() }, { rtol: 0, atol: 1e-6 }, 'hard');
          const weight = flint.tensor([[1, -2, 0.5, 3], [0.25, 1, -1, 2]]);
          const leafSoft = logits.clone().requiresGrad_();
          const leafHard = logits.clone().requiresGrad_();
          sample(leafSoft).mul(weight).sum().backward();
          sample(leafHard, true).mul(weight).sum().backward();
          check.close(leafHard.grad!, { shape: [2, 4], data: leafSoft.grad!.data() }, { rtol: 1e-5, atol: 1e-6 }, 'straight-through gradient');
        }),
      ));
  });

  describe('math: differentiability', () => {
    it('floorDivide records no gradient, as PyTorch defines none; fmod and remainder do', () =>
      flint.tidy(() => {
        const a = flint.tensor([5.5, -3.25], { requiresGrad: true });
        expect(flint.floorDivide(a, 2).requiresGrad).toBe(false);
        expect(flint.fmod(a, 2).requiresGrad).toBe(true);
        expect(flint.remainder(a, 2).requiresGrad).toBe(true);
      }));
  });

  describe('math: second derivatives', () => {
    // Expected values: torch.polygamma(1, x), -2x / (1 + x^2)^2 and sinh(x) in float64, rounded to float32.
    const x = [0.3, -1.2, 2.5, 4.0];
    const cases: Array<[string, (t: flint.Tensor) => flint.Tensor, number[]]> = [
      ['lgamma (trigamma)', (t) => t.lgamma(), [12.24536418914795, 27.993919372558594, 0.49035775661468506, 0.2838229537010193]],
      ['atan', (t) => t.atan(), [-0.5050079822540283, 0.40311744809150696, -0.09512484818696976, -0.027681661769747734]],
      ['sinh', (t) => t.sinh(), [0.30452027916908264, -1.5094614028930664, 6.050204277038574, 27.2899169921875]],
    ];
    for (const [name, fn, expected] of cases) {
      it(`${name}`, () =>
        tidyChecks((check) => {
          const t = flint.tensor(x, { requiresGrad: true });
          const [first] = flint.autograd.grad(fn(t).sum(), t, { createGraph: true });
          const [second] = flint.autograd.grad(first!.sum(), t);
          check.close(second!, { shape: [4], data: expected }, { rtol: 1e-4, atol: 1e-5 });
        }));
    }
  });

  describe('math: signed results', () => {
    it('atan2 of signed zeros and the quadrants, as C', () =>
      tidyChecks((check) => {
        const y = flint.tensor([0, -0, 0, -0, 1, -1], { dtype: 'float32' });
        const x = flint.tensor([0, 0, -0, -0, -1, -1], { dtype: 'float32' });
        check.that(expectValues(flint.atan2(y, x).reciprocal(), [Infinity, -Infinity, 1 / Math.fround(Math.PI), -1 / Math.fround(Math.PI), 1 / Math.fround(3 * Math.PI / 4), -1 / Math.fround(3 * Math.PI / 4)], { rtol: 1e-6, atol: 0 }));
      }));
    it('fmod keeps the dividend sign of zero, remainder and floorDivide follow Python', () =>
      tidyChecks((check) => {
        const a = flint.tensor([-6, 6, -0.5]);
        check.that(expectClose(flint.fmod(a, 3).reciprocal(), { shape: [3], data: [-Infinity, Infinity, -2] }, { rtol: 0, atol: 0 }));
        check.that(expectValues(flint.remainder(a, -4), [-2, -2, -0.5]));
        check.that(expectValues(flint.floorDivide(a, -4), [1, -2, 0]));
      }));
  });
}
