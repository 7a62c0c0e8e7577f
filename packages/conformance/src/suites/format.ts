/** format() (toString() where reads are synchronous) against the strings PyTorch 1.13 prints. Expected values by hand or from PyTorch 1.13. */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { onDevice, tidyChecks } from '../helpers.ts';

export function formatSuite(_ctx: SuiteContext): void {
  describe('tensor: format/toString matches PyTorch', () => {
    // Strings from str(torch.tensor(...)) in PyTorch 1.13. One documented difference: flint prints
    // int32 tensors without PyTorch's `dtype=torch.int32` suffix.
    it('requires_grad float matrix', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([[1.0, -2.5]], { requiresGrad: true }), 'tensor([[ 1.0000, -2.5000]], requires_grad=True)');
      }));

    it('integer-valued floats', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([1, 2, 3], { dtype: 'float32' }), 'tensor([1., 2., 3.])');
        check.format(flint.tensor([-1, 2], { dtype: 'float32' }), 'tensor([-1.,  2.])');
        check.format(flint.zeros([3]), 'tensor([0., 0., 0.])');
        check.format(flint.tensor(3, { dtype: 'float32' }), 'tensor(3.)');
      }));

    it('int32 (without the dtype suffix) and bool', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([1, 2, 3]), 'tensor([1, 2, 3])');
        check.format(flint.arange(12).reshape(3, 4), 'tensor([[ 0,  1,  2,  3],\n        [ 4,  5,  6,  7],\n        [ 8,  9, 10, 11]])');
        check.format(flint.tensor([true, false]), 'tensor([ True, False])');
        check.format(flint.tensor([[true], [false]]), 'tensor([[ True],\n        [False]])');
      }));

    it('0-d float and fixed-point values', () =>
      tidyChecks((check) => {
        check.format(flint.tensor(3.5), 'tensor(3.5000)');
        check.format(flint.tensor([0.1, 0.25]), 'tensor([0.1000, 0.2500])');
        check.format(flint.tensor([[1.5, 2], [3, 4.25]]), 'tensor([[1.5000, 2.0000],\n        [3.0000, 4.2500]])');
        check.format(flint.tensor([100.5, 2.25]), 'tensor([100.5000,   2.2500])');
        check.format(flint.tensor([0, 10.5]), 'tensor([ 0.0000, 10.5000])');
      }));

    it('scientific notation', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([1e-5, 1e3]), 'tensor([1.0000e-05, 1.0000e+03])');
        check.format(flint.tensor([123456, 1.5]), 'tensor([1.2346e+05, 1.5000e+00])');
        check.format(flint.tensor([1e10, 1], { dtype: 'float32' }), 'tensor([1.0000e+10, 1.0000e+00])');
        check.format(flint.tensor([0, -1e-5, 1]), 'tensor([ 0.0000e+00, -1.0000e-05,  1.0000e+00])');
      }));

    it('nan and inf mixed with finite values', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([1.5, NaN, -Infinity]), 'tensor([1.5000,    nan,   -inf])');
        check.format(flint.tensor([NaN, NaN]), 'tensor([nan, nan])');
      }));

    it('column width comes from the finite nonzero values only, as in PyTorch', () =>
      tidyChecks((check) => {
        check.format(flint.tensor([1, NaN, Infinity, -Infinity], { dtype: 'float32' }), 'tensor([1., nan, inf, -inf])');
        check.format(flint.tensor([0, Infinity]), 'tensor([0., inf])');
      }));

    it('a 2x3x2 tensor separates blocks with a blank line', () =>
      tidyChecks((check) => {
        check.format(flint.arange(12, { dtype: 'float32' }).reshape(2, 3, 2), 
          'tensor([[[ 0.,  1.],\n         [ 2.,  3.],\n         [ 4.,  5.]],\n\n        [[ 6.,  7.],\n         [ 8.,  9.],\n         [10., 11.]]])',
        );
      }));

    it('summarises a 2000-element tensor like torch.arange(2000.)', () =>
      tidyChecks((check) => {
        check.format(flint.arange(2000, { dtype: 'float32' }), 
          'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
        );
      }));

    it('summarises a 40x50 matrix like torch.arange(2000.).reshape(40, 50)', () =>
      tidyChecks((check) => {
        const rows = [
          '[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01]',
          '[5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01]',
          '[1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02]',
          '...',
          '[1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03]',
          '[1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03]',
          '[1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]',
        ];
        check.format(flint.arange(2000, { dtype: 'float32' }).reshape(40, 50), `tensor([${rows.join(',\n        ')}])`);
      }));

    it('a non-leaf shows its grad_fn', async () => {
      const [x, y] = flint.tidy(() => {
        const x = flint.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
        return [x, x.mul(2)];
      });
      const s = await y!.format();
      for (const t of [x!, y!]) t.dispose();
      expect(s).toContain('grad_fn=<');
      expect(s.startsWith(onDevice('tensor([2., 4.], grad_fn=<X>)', y!.device).replace('<X>)', '<'))).toBe(true);
      expect(s).not.toContain('requires_grad');
    });
  });
}
