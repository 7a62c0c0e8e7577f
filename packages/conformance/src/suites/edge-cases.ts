/**
 * Edge cases every backend must get right: empty tensors through reductions, matmul and in-place
 * ops; scalar operands of where and alpha; and gradients where a naive formula cancels or
 * multiplies infinity by zero. Expected values by hand, from PyTorch 1.13, or from float64 closed
 * forms on the host.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { exact, tidyChecks, type Checks } from '../helpers.ts';

const f32 = { dtype: 'float32' } as const;

/** The gradient of sum(fn(x) * weight) with respect to x, as a plain array. */
async function gradOf(values: readonly number[], fn: (x: flint.Tensor) => flint.Tensor, weight?: readonly number[]): Promise<number[]> {
  const x = flint.tensor(Float32Array.from(values)).requiresGrad_(true);
  try {
    flint.tidy(() => {
      const y = fn(x);
      (weight ? y.mul(flint.tensor(Float32Array.from(weight))) : y).sum().backward();
    });
    return Array.from(await x.grad!.data());
  } finally {
    x.dispose();
  }
}

/** Asserts every value is within `rtol` of the float64 `expected` (relative to each value). */
function expectRelative(actual: readonly number[], expected: readonly number[], rtol: number, label: string): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e), `${label}: ${a} for ${e} at index ${i}`).toBeLessThanOrEqual(rtol * Math.abs(e));
  });
}

const range = (from: number, to: number, count: number): number[] => Array.from({ length: count }, (_, i) => Math.fround(from + ((to - from) * i) / (count - 1)));

function expectShape(check: Checks, t: flint.Tensor, shape: number[], values: unknown): void {
  expect([...t.shape]).toEqual(shape);
  check.list(t, values);
}

export function edgeCasesSuite(_ctx: SuiteContext): void {
  describe('edge cases: empty tensors and scalar operands', () => {
    it('reductions over and beside empty dims follow PyTorch', () =>
      tidyChecks((check) => {
        const empty = flint.zeros([0, 3]);
        expectShape(check, empty.amax(1), [0], []);
        expectShape(check, empty.amin(1), [0], []);
        expectShape(check, empty.logsumexp(1), [0], []);
        expectShape(check, empty.logsumexp(0), [3], [-Infinity, -Infinity, -Infinity]);
        expectShape(check, empty.sum(0), [3], [0, 0, 0]);
        expectShape(check, empty.prod(0), [3], [1, 1, 1]);
        expectShape(check, empty.argmax(1), [0], []);
        expectShape(check, flint.zeros([2, 0], { dtype: 'bool' }).all(1), [2], [true, true]);
        expectShape(check, flint.zeros([2, 0], { dtype: 'bool' }).any(1), [2], [false, false]);
        expectShape(check, flint.zeros([0], { dtype: 'bool' }).all(), [], true);
        expectShape(check, flint.zeros([0], { dtype: 'bool' }).any(), [], false);
        expect(() => empty.amax(0)).toThrow('amax(): Expected reduction dim 0 to have non-zero size.');
        expect(() => empty.argmax(0)).toThrow('argmax(): Expected reduction dim 0 to have non-zero size.');
        expect(() => empty.amax()).toThrow(/^amax\(\): Expected reduction dim to be specified for input.numel\(\) == 0/);
      }));

    it('matmul with an empty inner dim gives zeros, in every shape case, with gradients', () =>
      tidyChecks((check) => {
        expectShape(check, flint.matmul(flint.zeros([2, 3, 0]), flint.zeros([0, 4])), [2, 3, 4], Array(2).fill(Array(3).fill([0, 0, 0, 0])));
        expectShape(check, flint.matmul(flint.zeros([2, 0]), flint.zeros([0, 2])), [2, 2], [[0, 0], [0, 0]]);
        expectShape(check, flint.matmul(flint.zeros([0]), flint.zeros([0])), [], 0);
        expectShape(check, flint.matmul(flint.zeros([0]), flint.zeros([0, 3])), [3], [0, 0, 0]);
        expectShape(check, flint.matmul(flint.zeros([2, 1, 1, 0]), flint.zeros([3, 0, 2])), [2, 3, 1, 2], Array(2).fill(Array(3).fill([[0, 0]])));
        expectShape(check, flint.matmul(flint.zeros([0, 3]), flint.ones([3, 4])), [0, 4], []);
        const a = flint.ones([2, 0]).requiresGrad_(true);
        const b = flint.ones([0, 3]).requiresGrad_(true);
        flint.matmul(a, b).sum().backward();
        expect([...a.grad!.shape]).toEqual([2, 0]);
        expect([...b.grad!.shape]).toEqual([0, 3]);
      }));

    it('in-place ops on empty tensors run and change nothing', () =>
      tidyChecks((check) => {
        const t = flint.zeros([3, 0]);
        expectShape(check, t.add_(1), [3, 0], [[], [], []]);
        expectShape(check, t.mul_(2).zero_().fill_(5).clamp_(0, 1), [3, 0], [[], [], []]);
        expectShape(check, t.copy_(flint.ones([3, 0])), [3, 0], [[], [], []]);
        expectShape(check, flint.zeros([0, 4]).sub_(flint.ones([4])), [0, 4], []);
      }));

    it('where with NaN or infinite scalars, on either side, leaks nothing', async () => {
      const before = flint.memory().tensors;
      await tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], f32);
        const m = flint.tensor([true, false, true]);
        check.values(flint.where(m, NaN, x), [NaN, 2, NaN], exact);
        check.values(flint.where(m, x, -Infinity), [1, -Infinity, 3], exact);
        check.values(flint.where(m, NaN, 0.5), [NaN, 0.5, NaN], exact);
        check.values(flint.where(m, Infinity, NaN), [Infinity, NaN, Infinity], exact);
      });
      expect(flint.memory().tensors).toBe(before);
    });

    it('add and sub with alpha and a scalar operand, out of place and in place', () =>
      tidyChecks((check) => {
        const x = flint.tensor([1, 2, 3], f32);
        check.values(x.add(2, { alpha: 3 }), [7, 8, 9], exact);
        check.values(x.sub(2, { alpha: 3 }), [-5, -4, -3], exact);
        check.values(flint.add(x, 0.5, { alpha: -2 }), [0, 1, 2], exact);
        check.values(x.clone().add_(2, { alpha: 3 }), [7, 8, 9], exact);
        check.values(x.clone().sub_(2, { alpha: 3 }), [-5, -4, -3], exact);
      }));
  });

  describe('edge cases: gradients that must not cancel or give NaN', () => {
    it('std over a constant slice has a zero gradient (PyTorch 1.13)', async () => {
      expect(await gradOf([2, 2, 2], (x) => x.std())).toEqual([0, 0, 0]);
      const g = await gradOf([1, 1, 3, 5], (x) => x.reshape([2, 2]).std(1));
      expect(g.slice(0, 2)).toEqual([0, 0]);
      expectRelative(g.slice(2), [-Math.SQRT1_2, Math.SQRT1_2], 1e-6, 'std of [3, 5]');
    });

    it('NaN inputs: maximum and minimum pass the gradient to both operands, relu passes it (PyTorch 1.13)', async () => {
      const a = [NaN, 1, 2, 5];
      const b = [0, NaN, 2, 1];
      for (const op of ['maximum', 'minimum'] as const) {
        const other = flint.tensor(Float32Array.from(b)).requiresGrad_(true);
        const ga = await gradOf(a, (x) => flint[op](x, other));
        expect(ga, `${op}: first operand`).toEqual(op === 'maximum' ? [1, 1, 0.5, 1] : [1, 1, 0.5, 0]);
        expect(Array.from(await other.grad!.data()), `${op}: second operand`).toEqual(op === 'maximum' ? [1, 1, 0.5, 0] : [1, 1, 0.5, 1]);
        other.dispose();
      }
      expect(await gradOf([NaN, -1, 0, 2], (x) => x.relu())).toEqual([1, 0, 0, 1]);
    });

    it('tanh, sigmoid and silu slopes keep their relative accuracy far into the tails', async () => {
      const xs = range(-12, 12, 97);
      const sech2 = (x: number): number => 1 / Math.cosh(x) ** 2;
      const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
      expectRelative(await gradOf(xs, (x) => x.tanh()), xs.map(sech2), 2e-6, 'tanh slope');
      const wide = range(-80, 80, 161);
      expectRelative(await gradOf(wide, (x) => x.sigmoid()), wide.map((x) => sigmoid(x) * sigmoid(-x)), 2e-6, 'sigmoid slope');
      const silu = (x: number): number => sigmoid(x) * (1 + x * sigmoid(-x));
      const away = wide.filter((x) => Math.abs(x + 1.2785) > 0.1); // the slope's zero, where only absolute accuracy holds
      expectRelative(await gradOf(away, (x) => flint.nn.functional.silu(x)), away.map(silu), 2e-6, 'silu slope');
    });

    it("the tanh-form gelu's slope keeps its relative accuracy for negative inputs", async () => {
      const xs = range(-6, 3, 73);
      const k = Math.sqrt(2 / Math.PI);
      const slope = (x: number): number => {
        const u = k * (x + 0.044715 * x ** 3);
        const s = 1 / (1 + Math.exp(-2 * u));
        return s + 2 * x * s * (1 - s) * k * (1 + 3 * 0.044715 * x * x);
      };
      const away = xs.filter((x) => Math.abs(x + 0.7517) > 0.05); // near the slope's zero only absolute accuracy holds
      expectRelative(await gradOf(away, (x) => flint.gelu(x, { approximate: 'tanh' })), away.map(slope), 1e-5, 'geluTanh slope');
    });

    it("cumsum's gradient sums from the far end without cancelling", async () => {
      // Large weights first, small ones last: total - cumsum would lose the small suffix sums.
      const n = 4096;
      const weight = Array.from({ length: n }, (_, i) => Math.fround(i < n / 2 ? 1000 + (i % 7) : 0.001 * (1 + (i % 5))));
      const expected = new Array<number>(n);
      for (let i = n - 1, acc = 0; i >= 0; i--) expected[i] = acc += weight[i]!;
      expectRelative(await gradOf(new Array(n).fill(0), (x) => x.cumsum(0), weight), expected, 1e-4, 'cumsum gradient');
      const g2 = await gradOf([1, 2, 3, 4, 5, 6], (x) => x.reshape([2, 3]).cumsum(1).reshape([6]), [1, 2, 3, 4, 5, 6]);
      expect(g2).toEqual([6, 5, 3, 15, 11, 6]);
    });
  });
}
