/** Autograd semantics: accumulation, graph lifetime, grad modes, higher-order gradients. */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import { tidyChecks } from '../helpers.ts';
import type { SuiteContext } from '../context.ts';

const leaf = (values: flint.NestedData): flint.Tensor => flint.tensor(values, { dtype: 'float32', requiresGrad: true });

export function autogradSuite(_ctx: SuiteContext): void {
  describe('autograd', () => {
    it('accumulates into .grad across backward calls', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        x.mul(x).sum().backward();
        check.values(x.grad!, [2, 4, 6]);
        x.mul(3).sum().backward();
        check.values(x.grad!, [5, 7, 9]);
      }));

    it('keeps .grad identity when accumulating, so references see the sum', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2]);
        x.sum().backward();
        const g = x.grad!;
        x.sum().backward();
        expect(x.grad).toBe(g);
        check.values(g, [2, 2]);
      }));

    it('gives each leaf its own gradient tensor even when one gradient flows to both', () =>
      tidyChecks((check) => {
        const a = leaf([1, 2]);
        const b = leaf([3, 4]);
        a.add(b).sum().backward();
        flint.noGrad(() => a.grad!.add_(10));
        check.values(b.grad!, [1, 1]);
        check.values(a.grad!, [11, 11]);
      }));

    it('frees the graph after backward unless retainGraph', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = x.mul(x).sum();
        y.backward({ retainGraph: true });
        y.backward();
        check.values(x.grad!, [4, 8, 12]);
        expect(() => y.backward()).toThrow(/backward through the graph a second time/);
      }));

    it('takes an explicit gradient for non-scalar outputs', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        x.mul(2).backward({ gradient: flint.tensor([1, 0.5, 2]) });
        check.values(x.grad!, [2, 1, 4]);
      }));

    it('records nothing under noGrad, and detach() cuts history', () =>
      flint.tidy(() => {
        const x = leaf([1, 2]);
        const y = flint.noGrad(() => x.mul(2));
        expect(y.requiresGrad).toBe(false);
        expect(y.gradFn).toBeNull();
        const d = x.mul(3).detach();
        expect(d.requiresGrad).toBe(false);
        expect(flint.isGradEnabled()).toBe(true);
        const z = flint.noGrad(() => flint.enableGrad(() => x.mul(2)));
        expect(z.requiresGrad).toBe(true);
      }));

    it('detach() shares storage with the original', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2]);
        const d = x.detach();
        flint.noGrad(() => d.add_(1));
        check.values(x, [2, 3]);
      }));

    it('retainGrad() fills .grad of a non-leaf', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const h = x.mul(2).retainGrad();
        h.mul(h).sum().backward();
        check.values(h.grad!, [4, 8, 12]);
        check.values(x.grad!, [8, 16, 24]);
        expect(x.mul(2).grad).toBeNull();
      }));

    it('autograd.grad returns gradients without touching .grad', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const [g] = flint.autograd.grad(x.pow(3).sum(), x);
        check.values(g!, [3, 12, 27]);
        expect(x.grad).toBeNull();
      }));

    it('computes second derivatives with createGraph', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const [g] = flint.autograd.grad(x.pow(3).sum(), x, { createGraph: true });
        check.values(g!, [3, 12, 27]);
        g!.sum().backward();
        check.values(x.grad!, [6, 12, 18]);
      }));

    it('backward with createGraph leaves a differentiable .grad', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        x.pow(3).sum().backward({ createGraph: true });
        expect(x.grad!.requiresGrad).toBe(true);
        check.values(x.grad!, [3, 12, 27]);
        x.grad!.sum().backward();
        // PyTorch accumulates d(sum 3x^2)/dx = 6x into the same .grad: 3x^2 + 6x
        check.values(x.grad!, [9, 24, 45]);
      }));

    it('second derivative of tanh matches -2 tanh (1 - tanh^2)', () =>
      tidyChecks((check) => {
        const xs = [-1.5, -0.2, 0.5, 2];
        const x = leaf(xs);
        const [g] = flint.autograd.grad(x.tanh().sum(), x, { createGraph: true });
        const [gg] = flint.autograd.grad(g!.sum(), x);
        check.values(gg!, xs.map((v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2)), { rtol: 1e-5, atol: 1e-6 });
      }));

    it('second derivatives flow through linear and crossEntropy', () =>
      tidyChecks((check) => {
        // f(W) = sum(linear(x, W, b)^2): d/dW_pj of sum(df/dW) = 2 sum_n x_nj (sum_i x_ni), by hand.
        const x = flint.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
        const w = leaf([[0.5, -1], [2, 0.25], [-0.5, 1]]);
        const b = leaf([0.1, -0.2, 0.3]);
        const [gw] = flint.autograd.grad(flint.nn.functional.linear(x, w, b).pow(2).sum(), w, { createGraph: true });
        const [hw] = flint.autograd.grad(gw!.sum(), w);
        check.values(hw!, [[48, 68], [48, 68], [48, 68]]);
        // Cross entropy's Hessian in the logits is (diag(p) - p p^T) / N per row.
        const rows = [[1, -0.5, 2], [0.3, 0.1, -1]];
        const v = [[1, 2, -1], [0.5, -1, 3]];
        const z = leaf(rows);
        const [gz] = flint.autograd.grad(flint.nn.functional.crossEntropy(z, flint.tensor([2, 0], { dtype: 'int32' })), z, { createGraph: true });
        const [hz] = flint.autograd.grad(gz!.mul(flint.tensor(v, { dtype: 'float32' })).sum(), z);
        const expected = rows.map((row, n) => {
          const e = row.map(Math.exp);
          const p = e.map((x) => x / e.reduce((a, c) => a + c));
          const pv = p.reduce((a, pi, i) => a + pi * v[n]![i]!, 0);
          return p.map((pi, i) => (pi * v[n]![i]! - pi * pv) / rows.length);
        });
        check.values(hz!, expected, { rtol: 1e-5, atol: 1e-6 });
      }));

    it('second derivatives flow through matmul, softmax and conv2d', () =>
      tidyChecks((check) => {
        // f(w) = sum((x w)^2): the Hessian-vector product with v = 1 is 2 x^T x 1, by hand.
        const x = flint.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
        const w = leaf([[0.5], [-1]]);
        const [g] = flint.autograd.grad(x.matmul(w).pow(2).sum(), w, { createGraph: true });
        const [hv] = flint.autograd.grad(g!.sum(), w);
        // x^T x = [[10, 14], [14, 20]]; times 2 times [1, 1] = [48, 68]
        check.values(hv!, [[48], [68]]);
        // conv2d is linear in x, so d/dx of sum(d/dx sum(conv(x, w)^2)) = 2 * conv^T(conv(1)) summed.
        const img = leaf([[[[1, 2, 0], [0, 1, 3], [2, 2, 1]]]]);
        const k = flint.tensor([[[[1, -1], [0, 2]]]], { dtype: 'float32' });
        const [gx] = flint.autograd.grad(flint.conv2d(img, k).pow(2).sum(), img, { createGraph: true });
        const [hx] = flint.autograd.grad(gx!.sum(), img);
        // Each output pixel o = sum k*x; d/dx (2 o k) summed over x: 2 * sum_k k * (sum of k over in-bounds) per position.
        // Computed by hand for this 3x3 input and 2x2 kernel (sum of k = 2): hx = 2 * 2 * (adjoint of conv applied to ones).
        check.values(hx!, [[[[4, 0, -4], [4, 8, 4], [0, 8, 8]]]]);
      }));

    it('propagates through in-place ops on non-leaves and rejects them on leaves', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2]);
        const a = x.mul(2);
        a.mul_(3);
        a.sum().backward();
        check.values(x.grad!, [6, 6]);
        expect(() => x.add_(1)).toThrow(/leaf Variable that requires grad/);
        flint.noGrad(() => x.add_(1));
        check.values(x, [2, 3]);
      }));

    it('catches a saved tensor modified in place before backward', () =>
      flint.tidy(() => {
        const x = leaf([1, 2]);
        const a = x.mul(2);
        const b = a.mul(a);
        a.add_(1);
        expect(() => b.sum().backward()).toThrow(/modified by an inplace operation/);
      }));

    it('routes gradients through views, cat, split and max(dim)', () =>
      tidyChecks((check) => {
        const x = leaf([[1, 5, 2], [7, 3, 4]]);
        const [p, q] = x.split([1, 2], 1);
        const y = flint.cat([q!.mul(2), p!], 1).T.reshape(6);
        y.mul(flint.tensor([1, 2, 3, 4, 5, 6], { dtype: 'float32' })).sum().backward();
        // y = [2x01, 2x11, 2x02, 2x12, x00, x10] -> grads: x00 5, x10 6, x01 2, x11 4, x02 6, x12 8
        check.values(x.grad!, [[5, 2, 6], [6, 4, 8]]);
        const z = leaf([[1, 5, 2], [7, 3, 7]]);
        z.max(1).values.sum().backward();
        check.values(z.grad!, [[0, 1, 0], [1, 0, 0]]);
      }));

    it('zeroes gradients for unused branches and reports unused inputs', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2]);
        const unused = leaf([3]);
        expect(() => flint.autograd.grad(x.sum(), [x, unused])).toThrow(/not have been used/);
        const [gx, gu] = flint.autograd.grad(x.sum(), [x, unused], { allowUnused: true });
        check.values(gx!, [1, 1]);
        expect(gu).toBeNull();
      }));

    // Sub-view gradients are added into their input's gradient sum in place; these mix them with
    // gradients that one node hands to two inputs, sums from whole-tensor paths, and createGraph.
    it('sums the gradients of overlapping slices, selects and chunks of one tensor', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3, 4]);
        const y = x.mul(3);
        const s = y.narrow(0, 0, 2).add(y.narrow(0, 1, 2)); // AddBackward hands one gradient to both slices
        const w = s.select(0, 0).mul(5).add(s.select(0, 1).mul(7)).add(y.mul(y).sum());
        w.backward();
        // dy = [5, 5 + 7, 7, 0] + 2y; dx = 3 dy
        check.values(x.grad!, [3 * (5 + 6), 3 * (12 + 12), 3 * (7 + 18), 3 * 24]);
        const z = leaf([[1, 2], [3, 4], [5, 6]]);
        const [a, b, c] = z.mul(1).chunk(3, 0) as [flint.Tensor, flint.Tensor, flint.Tensor];
        a.mul(2).add(c.mul(b)).sum().backward();
        check.values(z.grad!, [[2, 2], [5, 6], [3, 4]]);
      }));

    it('gives slice gradients that can be differentiated again (createGraph)', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = x.mul(x);
        const total = y.narrow(0, 0, 2).sum().add(y.narrow(0, 1, 2).sum());
        const [g] = flint.autograd.grad(total, [x], { createGraph: true });
        check.values(g!, [2, 8, 6]); // d/dx of x0^2 + 2 x1^2 + x2^2
        g!.mul(g!).sum().backward();
        check.values(x.grad!, [8, 64, 24]); // d/dx sum(g^2) = 2 g dg/dx, dg/dx = [2, 4, 2]
      }));
  });
}
