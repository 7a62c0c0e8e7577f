/** Functional ops on traced values: softmax, views, joins, products and reductions. */
import * as flint from '@flint/core';
import { it } from 'vitest';
import { onBackends } from './backends.ts';
import { checkExport } from './ort.ts';

const F = flint.nn.functional;

onBackends('tensor ops', () => {
  it('softmax and logSoftmax along each dim', async () => {
    await checkExport((x: flint.Tensor) => [F.softmax(x, 0), F.softmax(x, -1), F.logSoftmax(x, 1)], [flint.randn([2, 3, 4])]);
  });

  it('reshape, view, flatten, permute, transpose, squeeze, unsqueeze and expand, with a dynamic batch', async () => {
    const f = (x: flint.Tensor): flint.Tensor[] => {
      const [b] = x.shape as [number];
      return [
        x.reshape([b, 3, 4]).permute([0, 2, 1]).flatten(1),
        x.view(b, 12, 1, 1).squeeze(-1).transpose(1, 2).unsqueeze(0),
        x.narrow(1, 2, 3).unsqueeze(1).expand([b, 4, 3]).contiguous(),
      ];
    };
    await checkExport(f, [flint.randn([2, 12])], { dynamicAxes: { input_0: { 0: 'batch' } }, runs: [[flint.randn([5, 12])]] });
  });

  it('narrow, select, split, chunk, cat and stack', async () => {
    const f = (x: flint.Tensor): flint.Tensor[] => {
      const [a, b] = flint.split(x, [2, 4], 1) as [flint.Tensor, flint.Tensor];
      const halves = flint.chunk(x, 2, 1);
      return [x.narrow(1, 1, 3), x.select(1, -1), flint.cat([b, a], 1), flint.stack(halves, 0), ...halves];
    };
    await checkExport(f, [flint.randn([3, 6])], { dynamicAxes: { input_0: { 0: 'batch' } }, runs: [[flint.randn([1, 6])]] });
  });

  it('matmul, bmm and mm, batched and broadcast', async () => {
    const w = flint.randn([5, 4]);
    const f = (a: flint.Tensor, b: flint.Tensor): flint.Tensor[] => [flint.matmul(a, b), flint.bmm(a, b), flint.mm(a.select(0, 0), w.T), flint.matmul(a, w.T)];
    await checkExport(f, [flint.randn([2, 3, 4]), flint.randn([2, 4, 6])]);
  });

  it('sum, mean, amax and amin over dims, with and without keepdim', async () => {
    const f = (x: flint.Tensor): flint.Tensor[] => [x.sum(), x.sum(1), x.mean([0, 2], true), x.amax(-1), x.amin(1, true), flint.max(x)];
    await checkExport(f, [flint.randn([2, 3, 4])]);
  });

  it('arithmetic with numbers and constants, comparisons, where and clamp', async () => {
    const c = flint.randn([4]);
    const f = (x: flint.Tensor): flint.Tensor[] => [
      x.add(c, { alpha: 2 }).sub(1).mul(3).div(c.abs().add(1)),
      x.pow(2).neg().exp().log1p().sqrt(),
      flint.where(x.gt(0), x, c).clamp(-0.5, 0.5),
      x.ge(c).logicalOr(x.lt(-1)),
      flint.maximum(x, c).sigmoid().rsqrt(),
    ];
    await checkExport(f, [flint.randn([3, 4])]);
  });
});
