/** toString() against the strings PyTorch 1.13 prints. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { printedWithoutDevice } from '../helpers.ts';

export function formatSuite(ctx: SuiteContext): void {
  const shown = (t: flint.Tensor): string => printedWithoutDevice(t, ctx.name);
  describe('tensor: toString matches PyTorch', () => {
    // Strings from str(torch.tensor(...)) in PyTorch 1.13. One documented difference: flint prints
    // int32 tensors without PyTorch's `dtype=torch.int32` suffix.
    it('requires_grad float matrix', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([[1.0, -2.5]], { requiresGrad: true }))).toBe('tensor([[ 1.0000, -2.5000]], requires_grad=True)');
      }));

    it('integer-valued floats', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([1, 2, 3], { dtype: 'float32' }))).toBe('tensor([1., 2., 3.])');
        expect(shown(flint.tensor([-1, 2], { dtype: 'float32' }))).toBe('tensor([-1.,  2.])');
        expect(shown(flint.zeros([3]))).toBe('tensor([0., 0., 0.])');
        expect(shown(flint.tensor(3, { dtype: 'float32' }))).toBe('tensor(3.)');
      }));

    it('int32 (without the dtype suffix) and bool', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([1, 2, 3]))).toBe('tensor([1, 2, 3])');
        expect(shown(flint.arange(12).reshape(3, 4))).toBe('tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])');
        expect(shown(flint.tensor([true, false]))).toBe('tensor([ True, False])');
        expect(shown(flint.tensor([[true], [false]]))).toBe('tensor([[ True],\n        [False]])');
      }));

    it('0-d float and fixed-point values', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor(3.5))).toBe('tensor(3.5000)');
        expect(shown(flint.tensor([0.1, 0.25]))).toBe('tensor([0.1000, 0.2500])');
        expect(shown(flint.tensor([[1.5, 2], [3, 4.25]]))).toBe('tensor([[1.5000, 2.0000],\n        [3.0000, 4.2500]])');
        expect(shown(flint.tensor([100.5, 2.25]))).toBe('tensor([100.5000,   2.2500])');
        expect(shown(flint.tensor([0, 10.5]))).toBe('tensor([ 0.0000, 10.5000])');
      }));

    it('scientific notation', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([1e-5, 1e3]))).toBe('tensor([1.0000e-05, 1.0000e+03])');
        expect(shown(flint.tensor([123456, 1.5]))).toBe('tensor([1.2346e+05, 1.5000e+00])');
        expect(shown(flint.tensor([1e10, 1], { dtype: 'float32' }))).toBe('tensor([1.0000e+10, 1.0000e+00])');
        expect(shown(flint.tensor([0, -1e-5, 1]))).toBe('tensor([ 0.0000e+00, -1.0000e-05,  1.0000e+00])');
      }));

    it('nan and inf mixed with finite values', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([1.5, NaN, -Infinity]))).toBe('tensor([1.5000,    nan,   -inf])');
        expect(shown(flint.tensor([NaN, NaN]))).toBe('tensor([nan, nan])');
      }));

    it('column width comes from the finite nonzero values only, as in PyTorch', () =>
      flint.tidy(() => {
        expect(shown(flint.tensor([1, NaN, Infinity, -Infinity], { dtype: 'float32' }))).toBe('tensor([1., nan, inf, -inf])');
        expect(shown(flint.tensor([0, Infinity]))).toBe('tensor([0., inf])');
      }));

    it('a 2x3x2 tensor separates blocks with a blank line', () =>
      flint.tidy(() => {
        expect(shown(flint.arange(12, { dtype: 'float32' }).reshape(2, 3, 2))).toBe(
          'tensor([[[ 0.,  1.],\n         [ 2.,  3.],\n         [ 4.,  5.]],\n\n        [[ 6.,  7.],\n         [ 8.,  9.],\n         [10., 11.]]])',
        );
      }));

    it('summarises a 2000-element tensor like torch.arange(2000.)', () =>
      flint.tidy(() => {
        expect(shown(flint.arange(2000, { dtype: 'float32' }))).toBe(
          'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
        );
      }));

    it('summarises a 40x50 matrix like torch.arange(2000.).reshape(40, 50)', () =>
      flint.tidy(() => {
        const rows = [
          '[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01]',
          '[5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01]',
          '[1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02]',
          '...',
          '[1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03]',
          '[1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03]',
          '[1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]',
        ];
        expect(shown(flint.arange(2000, { dtype: 'float32' }).reshape(40, 50))).toBe(`tensor([${rows.join(',\n        ')}])`);
      }));

    it('a non-leaf shows its grad_fn', () =>
      flint.tidy(() => {
        const x = flint.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
        const s = shown(x.mul(2));
        expect(s).toContain('grad_fn=<');
        expect(s.startsWith('tensor([2., 4.], grad_fn=<')).toBe(true);
        expect(s).not.toContain('requires_grad');
      }));
  });
}
