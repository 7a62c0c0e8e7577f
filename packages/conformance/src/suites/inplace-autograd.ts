/**
 * Autograd through in-place writes: into views of tensors with history (the base's gradient sees
 * the write), into bases whose views are used later (the views see it), over values whose history
 * the write cuts, and with operands the write overwrites. Expected gradients from PyTorch 1.13 on
 * the same programs (each `it` names it), except where noted.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { tidyChecks } from '../helpers.ts';

const f32 = { dtype: 'float32' } as const;
const leaf = (values: flint.NestedData): flint.Tensor => flint.tensor(values, f32).requiresGrad_();

export function inplaceAutogradSuite(_ctx: SuiteContext): void {
  describe('autograd: in-place writes', () => {
    it('a write into a view reaches the base: y = x * 1; y[0:1].mul_(5); y.sum()', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = x.mul(1);
        y.narrow(0, 0, 1).mul_(5);
        expect(y.gradFn?.name).toBe('CopySlices');
        y.sum().backward();
        check.list(x.grad!, [5, 1, 1]);
      }));

    it('a view made before its base is written sees the write: v = y[1:3]; y.mul_(3); (v * v).sum()', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = x.mul(1);
        const v = y.narrow(0, 1, 2);
        y.mul_(3);
        v.mul(v).sum().backward();
        check.list(x.grad!, [0, 36, 54]);
      }));

    it('copy_ into a row of a tensor without history gives it one: y = zeros([2, 3]); y[1].copy_(x * x)', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = flint.zeros([2, 3]);
        y.select(0, 1).copy_(x.mul(x));
        expect(y.requiresGrad).toBe(true);
        y.mul(flint.tensor([[1, 1, 1], [1, 2, 3]], f32)).sum().backward();
        check.list(x.grad!, [2, 8, 18]);
      }));

    it('copy_ of a constant cuts the history it overwrites: y = x * 2; y.copy_(ones)', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const y = x.mul(2);
        y.copy_(flint.ones([3]));
        y.sum().backward();
        check.list(x.grad!, [0, 0, 0]);
      }));

    it('a write through a transposed window: y.t()[1:2].mul_(x[0:1]); (y * y).sum()', () =>
      tidyChecks((check) => {
        const x = leaf([[1, 2], [3, 4]]);
        const y = x.mul(1);
        y.transpose(0, 1).narrow(0, 1, 1).mul_(x.narrow(0, 0, 1));
        y.mul(y).sum().backward();
        check.list(y, [[1, 2], [3, 8]]);
        check.list(x.grad!, [[10, 68], [6, 32]]);
      }));

    it('mul_ and div_ keep the values they overwrite for the other operand: a.mul_(b); a.div_(b * b)', () =>
      tidyChecks((check) => {
        const a = flint.tensor([2, -1], f32);
        const b = leaf([3, 4]);
        a.mul_(b);
        a.div_(b.mul(b));
        a.mul(a).sum().backward();
        check.values(b.grad!, [-0.29629629850387573, -0.03125], { rtol: 1e-6, atol: 0 });
      }));

    it('a write whose operand overlaps the written window reads the old values (as PyTorch with clone())', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3, 4]);
        const y = x.mul(2);
        y.narrow(0, 1, 3).mul_(y.narrow(0, 0, 3));
        check.list(y, [2, 8, 24, 48]);
        y.sum().backward();
        check.list(x.grad!, [10, 16, 24, 12]);
      }));

    it('clamp_ on a view blocks the gradient where it clamps: y[0:2].clamp_(-1, 1)', () =>
      tidyChecks((check) => {
        const x = leaf([1, -2, 3]);
        const y = x.mul(1);
        y.narrow(0, 0, 2).clamp_(-1, 1);
        y.mul(flint.tensor([1, 2, 3], f32)).sum().backward();
        check.list(x.grad!, [1, 0, 3]);
      }));

    it('a write into a view of a leaf that requires grad is an error that changes nothing', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        expect(() => x.narrow(0, 0, 1).mul_(2)).toThrow(/mul_\(\): a view of a leaf Variable that requires grad is being used in an in-place operation/);
        check.list(x, [1, 2, 3]);
        expect(x.isLeaf).toBe(true);
        flint.noGrad(() => x.narrow(0, 0, 1).mul_(2));
        check.list(x, [2, 2, 3]);
      }));

    it('views that outlive their base keep their history', () =>
      tidyChecks((check) => {
        const x = leaf([1, 2, 3]);
        const v = flint.tidy(() => x.mul(3).narrow(0, 1, 2));
        v.mul_(2);
        v.sum().backward();
        check.list(x.grad!, [0, 6, 6]);
      }));
  });
}
