/**
 * Bad input to the rearranging ops (ops/shape.ts, ops/scan.ts, ops/masked.ts, take): PyTorch's
 * wording, naming the op and the offending dim, size or index, with nothing leaked.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectThrowsClean } from './errors.ts';
import { readsSynchronously } from '../helpers.ts';

export function rearrangingErrorSuite(_ctx: SuiteContext): void {
  describe('errors: rearranging ops', () => {
    it('name the op and what is wrong', () =>
      flint.tidy(() => {
        const v = flint.zeros([3]);
        const m = flint.zeros([2, 3]);
        const cube = flint.zeros([2, 2, 2]);
        const square = flint.zeros([2, 2]);
        const pairs = flint.zeros([4, 2]);
        const flags = flint.tensor([true]);
        const floatMask = flint.zeros([2, 3]);
        const wideMask = flint.zeros([2, 3], { dtype: 'bool' });
        const rowMask = flint.zeros([3], { dtype: 'bool' });
        const index1d = flint.zeros([2], { dtype: 'int32' });
        expectThrowsClean(() => v.tril(), /tril\(\): input tensor must have at least 2 dimensions, got 1/);
        expectThrowsClean(() => m.diagonal(0, 1, 1), /diagonal\(\): diagonal dimensions cannot be identical 1, 1/);
        expectThrowsClean(() => m.diagonal(0, 0, 2), /diagonal\(\): Dimension out of range/);
        expectThrowsClean(() => cube.diag(), /diag\(\): Supports 1D or 2D tensors. Got 3D/);
        expectThrowsClean(() => v.trace(), /trace\(\): expected a matrix, but got tensor with dim 1/);
        expectThrowsClean(() => m.repeat([2]), /repeat\(\): Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor/);
        expectThrowsClean(() => m.repeat([2, -1]), /repeat\(\): Trying to create tensor with negative dimension/);
        expectThrowsClean(() => m.repeatInterleave([1, 2], 1), /repeatInterleave\(\): repeats must have the same size as input along dim/);
        expectThrowsClean(() => m.roll([1, 2], [0]), /roll\(\): shifts and dimensions must align. shifts: 2, dims: 1/);
        expectThrowsClean(() => m.rot90(1, [0, 0]), /rot90\(\): expected rotation dims to be different/);
        expectThrowsClean(() => m.movedim([0, 1], [0]), /movedim\(\): Invalid source or destination dims/);
        expectThrowsClean(() => m.unflatten(1, [2, 2]), /unflatten\(\): Provided sizes \[2, 2\] don't multiply up to the size of dim 1 \(3\)/);
        expectThrowsClean(() => flint.meshgrid([m]), /meshgrid\(\): Expected 0D or 1D tensor in the tensor list but got tensor 0 with 2 dims/);
        expectThrowsClean(() => flint.outer(m, v), /outer\(\): expected 1D tensors, but got 2D and 1D tensors/);
        expectThrowsClean(() => flint.cross(square, square), /cross\(\): no dimension of size 3 in input/);
        expectThrowsClean(() => pairs.cross(pairs, 1), /cross\(\): inputs dimension 1 must have length 3, got 2/);
        expectThrowsClean(() => v.diff({ n: -1 }), /diff\(\): order must be non-negative but got -1/);
        expectThrowsClean(() => flags.cummax(0), /cummax\(\): expected a float32 or int32 input, got bool/);
        expectThrowsClean(() => m.maskedFill(floatMask, 1), /maskedFill\(\): expected mask to be a bool tensor, got float32/);
        expectThrowsClean(() => v.maskedFill(wideMask, 1), /maskedFill\(\): mask of shape \[2, 3\] cannot be broadcast to the input's shape \[3\]/);
        expectThrowsClean(() => m.maskedFill(rowMask, v), /maskedFill\(\): only supports a 0-dimensional value tensor/);
        const empty = flint.zeros([2, 0]);
        const seqs = flint.zeros([2, 4]);
        const values3 = flint.zeros([3, 1]);
        expectThrowsClean(() => m.topk(4), /topk\(\): selected index k out of range \(k = 4, size of dim 1 = 3\)/);
        expectThrowsClean(() => m.kthvalue(0), /kthvalue\(\): selected number k out of range for dimension 1/);
        expectThrowsClean(() => empty.median(1), /median\(\): Expected reduction dim 1 to have non-zero size/);
        expectThrowsClean(() => flint.searchsorted(seqs, values3), /searchsorted\(\): boundaries tensor should be 1 dimension or the first N-1 dimensions/);
        expectThrowsClean(() => flint.bucketize(v, seqs), /bucketize\(\): boundaries tensor must be 1 dimension, but got dim\(2\)/);
        expectThrowsClean(() => flint.einsum('ij,jk->ik', m), /einsum\(\): 2 operands were specified in the equation but 1 were given/);
        expectThrowsClean(() => flint.einsum('i1->i', m), /einsum\(\): invalid subscript given at index of '1'/);
        expectThrowsClean(() => flint.einsum('ijk->i', m), /einsum\(\): the number of subscripts in the equation \(3\) does not match the number of dimensions \(2\) for operand 0/);
        expectThrowsClean(() => flint.einsum('ij,ij->i', m, pairs), /einsum\(\): operands do not broadcast .*subscript i has size 4 for operand 1/);
        expectThrowsClean(() => flint.einsum('ij->k', m), /einsum\(\): output subscript k does not appear in the equation for any input operand/);
        expectThrowsClean(() => flint.einsum('ij->ii', m), /einsum\(\): output subscript i appears more than once in the output/);
        expectThrowsClean(() => flint.tensordot(m, pairs, 1), /tensordot\(\): contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0/);
        const floatIndex = flint.tensor([0.5, 1]);
        const rowIdx = flint.tensor([0, 1], { dtype: 'int32' });
        const wrongValues = flint.zeros([3, 3]);
        const target = m.clone();
        const column = index1d.reshape([2, 1]);
        expectThrowsClean(() => m.index(floatIndex), /index\(\): tensors used as indices must be int32 or bool tensors, got float32/);
        expectThrowsClean(() => target.setIndex([rowIdx], wrongValues), /indexPut_\(\): shape mismatch: value tensor of shape \[3, 3\] cannot be broadcast to indexing result of shape \[2, 3\]/);
        expectThrowsClean(() => m.scatter(0, column, 1, { reduce: 'mean' as 'add' }), /scatter\(\): reduce argument must be either add or multiply, got 'mean'/);
        expectThrowsClean(() => m.takeAlongDim(index1d, 0), /takeAlongDim\(\): input and indices should have the same number of dimensions/);
      }));

    it('a write through repeated indices stores their mean; gradients reach the written values', async () => {
      const x = flint.zeros([5], { requiresGrad: true });
      const values = flint.tensor([2, 4, 1], { dtype: 'float32', requiresGrad: true });
      const at = flint.tensor([1, 1, 3], { dtype: 'int32' });
      const y = x.mul(1).setIndex([at], values);
      expect(await y.tolist()).toEqual([0, 3, 0, 1, 0]);
      y.mul(flint.tensor([1, 2, 3, 4, 5], { dtype: 'float32' })).sum().backward();
      expect(await values.grad!.tolist()).toEqual([1, 1, 4]);
      expect(await x.grad!.tolist()).toEqual([1, 0, 3, 0, 5]);
      [x, values, at, y].forEach((t) => t.dispose());
    });

    it('out-of-range indices name the index, the dim and its size where the backend reads synchronously', () =>
      flint.tidy(() => {
        if (!readsSynchronously(flint.zeros([1]))) return;
        const m = flint.zeros([2, 3]);
        const [past, before, wide] = [flint.tensor([6], { dtype: 'int32' }), flint.tensor([-7], { dtype: 'int32' }), flint.tensor([[5]], { dtype: 'int32' })];
        expectThrowsClean(() => m.take(past), /take\(\): index 6 is out of bounds for dimension 0 with size 6/);
        expectThrowsClean(() => m.take(before), /take\(\): index -7 is out of bounds for dimension 0 with size 6/);
        const seven = flint.tensor([7], { dtype: 'int32' });
        expectThrowsClean(() => m.index(seven), /index\(\): index 7 is out of bounds for dimension 0 with size 2/);
        expectThrowsClean(() => m.gather(1, wide), /gather\(\): index 5 is out of bounds for dimension 1 with size 3/);
      }));
  });
}
