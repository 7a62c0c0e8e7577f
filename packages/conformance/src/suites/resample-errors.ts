/**
 * Bad input to the resampling and padding ops (pad, interpolate, pixelShuffle/pixelUnshuffle,
 * unfold/fold, affineGrid, gridSample): PyTorch's wording, naming the op and the offending size,
 * padding or mode, with nothing leaked.
 */
import * as flint from '@flint/core';
import { describe, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectThrowsClean } from './errors.ts';

const F = flint.nn.functional;

export function resampleErrorSuite(_ctx: SuiteContext): void {
  describe('errors: resample ops', () => {
    it('pad names the padding and the dim it does not fit', () =>
      flint.tidy(() => {
        const image = flint.zeros([1, 1, 4, 4]);
        const signal = flint.zeros([1, 2, 5]);
        const row = flint.zeros([1, 1, 5]);
        const short = flint.zeros([1, 1, 3]);
        const matrix = flint.zeros([3, 4]);
        const unbatched = flint.zeros([2, 5]);
        expectThrowsClean(() => F.pad(image, [5, 5, 1, 1], 'reflect'),
          /pad\(\): Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(5, 5\) at dimension 3 of input 4/);
        expectThrowsClean(() => F.pad(image, [1, 1, 4, 4], 'reflect'), /pad\(\): Argument #6: .* padding \(4, 4\) at dimension 2 of input 4/);
        expectThrowsClean(() => F.pad(signal, [5, 1], 'reflect'), /pad\(\): Argument #4: .* padding \(5, 1\) at dimension 2 of input \[1, 2, 5\]/);
        expectThrowsClean(() => F.pad(image, [1]), /pad\(\): Padding length must be divisible by 2/);
        expectThrowsClean(() => F.pad(matrix, [1, 1, 1, 1, 1, 1]), /pad\(\): Padding length too large/);
        expectThrowsClean(() => F.pad(matrix, [1, 1, 1, 1], 'reflect'), /pad\(\): Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now/);
        expectThrowsClean(() => F.pad(row, [6, 2], 'circular'), /pad\(\): Padding value causes wrapping around more than once\./);
        expectThrowsClean(() => F.pad(row, [-3, -3], 'circular'), /pad\(\): Negative padding value is resulting in an empty dimension/);
        expectThrowsClean(() => F.pad(unbatched, [1, 1], 'circular'), /pad\(\): Invalid padding size, expected 0 but got 2/);
        expectThrowsClean(() => F.pad(row, [-3, -2], 'replicate'), /pad\(\): input \(W: 5\) is too small\. Calculated output W: 0/);
        expectThrowsClean(() => F.pad(short, [-2, -2]), /pad\(\): The input size 3, plus negative padding -2 and -2 resulted in a negative output size, which is invalid\. Check dimension 2 of your input\./);
        expectThrowsClean(() => F.pad(image, [1, 1], 'foo' as flint.nn.functional.PadMode), /pad\(\): Unrecognised padding mode foo/);
        expectThrowsClean(() => F.pad(signal, [1, 1], 'reflect', 1), /pad\(\): Padding mode "reflect" doesn't take in value argument/);
      }));

    it('interpolate names the mode, the rank and the sizes', () =>
      flint.tidy(() => {
        const image = flint.zeros([1, 1, 4, 4]);
        const signal = flint.zeros([1, 2, 5]);
        const matrix = flint.zeros([3, 4]);
        const counts = flint.zeros([1, 1, 4, 4], { dtype: 'int32' });
        expectThrowsClean(() => F.interpolate(counts, { scaleFactor: 2, mode: 'bilinear' }), /interpolate\(\): bilinear interpolation needs a float32 input, got int32/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: 2, mode: 'linear' }), /interpolate\(\): Got 4D input, but linear mode needs 3D input/);
        expectThrowsClean(() => F.interpolate(signal, { scaleFactor: 2, mode: 'bilinear' }), /interpolate\(\): Got 3D input, but bilinear mode needs 4D input/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: 2, mode: 'trilinear' }), /interpolate\(\): Got 4D input, but trilinear mode needs 5D input/);
        expectThrowsClean(() => F.interpolate(signal, { scaleFactor: 2, mode: 'bicubic' }),
          /interpolate\(\): Input Error: Only 3D, 4D and 5D input Tensors supported \(got 3D\) for the modes: nearest \| linear \| bilinear \| bicubic \| trilinear \| area \| nearest-exact \(got bicubic\)/);
        expectThrowsClean(() => F.interpolate(matrix, { scaleFactor: 2 }), /interpolate\(\): Input Error: Only 3D, 4D and 5D input Tensors supported \(got 2D\)/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: 2, mode: 'area2' as flint.nn.functional.InterpolateMode }), /\(got area2\)/);
        expectThrowsClean(() => F.interpolate(image, { size: 3, scaleFactor: 2 }), /interpolate\(\): only one of size or scale_factor should be defined/);
        expectThrowsClean(() => F.interpolate(image, {}), /interpolate\(\): either size or scale_factor should be defined/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: 2, alignCorners: true }),
          /interpolate\(\): align_corners option can only be set with the interpolating modes: linear \| bilinear \| bicubic \| trilinear/);
        expectThrowsClean(() => F.interpolate(image, { size: [2, 3, 4] }),
          /interpolate\(\): Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \[4, 4\] and output size of \(2, 3, 4\)/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: [2, 3, 4] }),
          /interpolate\(\): Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of \[4, 4\] and scale_factor of shape \(2, 3, 4\)/);
        expectThrowsClean(() => F.interpolate(image, { scaleFactor: 0.1 }),
          /interpolate\(\): Input and output sizes should be greater than 0, but got input \(H: 4, W: 4\) output \(H: 0, W: 0\)/);
        expectThrowsClean(() => F.interpolate(signal, { size: 0, mode: 'linear' }), /input \(W: 5\) output \(W: 0\)/);
      }));

    it('pixelShuffle and pixelUnshuffle name the size that does not divide', () =>
      flint.tidy(() => {
        const threeChannels = flint.zeros([1, 3, 2, 2]);
        const fourChannels = flint.zeros([1, 4, 2, 2]);
        const matrix = flint.zeros([4, 4]);
        const oddHeight = flint.zeros([1, 1, 3, 4]);
        const oddWidth = flint.zeros([1, 1, 4, 3]);
        expectThrowsClean(() => flint.pixelShuffle(threeChannels, 2),
          /pixelShuffle\(\): pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size\(-3\)=3 is not divisible by 4/);
        expectThrowsClean(() => flint.pixelShuffle(matrix, 2), /pixelShuffle\(\): pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension\(s\)/);
        expectThrowsClean(() => flint.pixelShuffle(fourChannels, 0), /pixelShuffle\(\): pixel_shuffle expects a positive upscale_factor, but got 0/);
        expectThrowsClean(() => flint.pixelUnshuffle(oddHeight, 2), /pixelUnshuffle\(\): pixel_unshuffle expects height to be divisible by downscale_factor, but input.size\(-2\)=3 is not divisible by 2/);
        expectThrowsClean(() => flint.pixelUnshuffle(oddWidth, 2), /pixelUnshuffle\(\): pixel_unshuffle expects width to be divisible by downscale_factor, but input.size\(-1\)=3 is not divisible by 2/);
        expectThrowsClean(() => flint.pixelUnshuffle(matrix, 2), /pixelUnshuffle\(\): pixel_unshuffle expects input to have at least 3 dimensions/);
      }));

    it('unfold and fold name the geometry', () =>
      flint.tidy(() => {
        const image = flint.zeros([1, 1, 4, 4]);
        const matrix = flint.zeros([3, 4]);
        const fiveRows = flint.zeros([1, 5, 9]);
        const eightBlocks = flint.zeros([1, 4, 8]);
        const vector = flint.zeros([9]);
        expectThrowsClean(() => F.unfold(matrix, 2), /unfold\(\): Expected 3D or 4D \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \[3, 4\]/);
        expectThrowsClean(() => F.unfold(image, 5),
          /unfold\(\): Given input with spatial size \(4, 4\), kernel_size=\(5, 5\), dilation=\(1, 1\), padding=\(0, 0\), calculated shape of the array of sliding blocks as \(0, 0\), but its components must be at least one\./);
        expectThrowsClean(() => F.unfold(image, 2, { stride: 0 }), /unfold\(\): stride should be greater than zero, but got stride_height: 0 stride_width: 0/);
        expectThrowsClean(() => F.unfold(image, 0), /unfold\(\): kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0/);
        expectThrowsClean(() => F.unfold(image, 2, { padding: -1 }), /unfold\(\): padding should be non-negative, but got pad_height: -1 pad_width: -1/);
        expectThrowsClean(() => F.unfold(image, 2, { dilation: [1, 0] }), /unfold\(\): dilation should be greater than zero, but got dilation_height: 1 dilation_width: 0/);
        expectThrowsClean(() => F.fold(fiveRows, 4, 2),
          /fold\(\): Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size\(1\)=5 and kernel_size=\(2, 2\)\./);
        expectThrowsClean(() => F.fold(eightBlocks, [4, 4], 2),
          /fold\(\): Given output_size=\(4, 4\), kernel_size=\(2, 2\), dilation=\(1, 1\), padding=\(0, 0\), stride=\(1, 1\), expected size of input's dimension 2 to match the calculated number of sliding blocks 3 \* 3 = 9, but got input.size\(2\)=8\./);
        expectThrowsClean(() => F.fold(vector, 4, 2), /fold\(\): Expected 2D or 3D \(batch mode\) input tensor .* but got: \[9\]/);
      }));

    it('affineGrid and gridSample name the shapes and modes', () =>
      flint.tidy(() => {
        const square = flint.zeros([1, 3, 3]);
        const theta = flint.zeros([1, 2, 3]);
        const image = flint.zeros([1, 1, 4, 4]);
        const signal = flint.zeros([1, 2, 5]);
        const wideGrid = flint.zeros([1, 2, 2, 3]);
        const batchGrid = flint.zeros([2, 2, 2, 2]);
        const grid = flint.zeros([1, 2, 2, 2]);
        expectThrowsClean(() => F.affineGrid(square, [1, 1, 2, 2]), /affineGrid\(\): Expected a batch of 2D affine matrices of shape Nx2x3 for size \[1, 1, 2, 2\]\. Got \[1, 3, 3\]\./);
        expectThrowsClean(() => F.affineGrid(theta, [2, 1, 2, 2]), /affineGrid\(\): Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[1, 3\]\./);
        expectThrowsClean(() => F.affineGrid(theta, [1, 2, 2]), /affineGrid\(\): affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively\. Got size \[1, 2, 2\]\./);
        expectThrowsClean(() => F.affineGrid(theta, [1, 1, 2, 2, 2]), /affineGrid\(\): only 2-D affine transforms \(4-D sizes\) are supported, got size \[1, 1, 2, 2, 2\]/);
        expectThrowsClean(() => F.gridSample(image, wideGrid), /gridSample\(\): grid_sampler\(\): expected grid to have size 2 in last dimension, but got grid with sizes \[1, 2, 2, 3\]/);
        expectThrowsClean(() => F.gridSample(image, batchGrid),
          /gridSample\(\): grid_sampler\(\): expected grid and input to have same batch size, but got input with sizes \[1, 1, 4, 4\] and grid with sizes \[2, 2, 2, 2\]/);
        expectThrowsClean(() => F.gridSample(signal, grid), /gridSample\(\): grid_sampler\(\): expected 4D input and grid with same number of dimensions, but got input with sizes \[1, 2, 5\]/);
        expectThrowsClean(() => F.gridSample(image, grid, { mode: 'bicubic' as 'nearest' }), /gridSample\(\): expected mode to be 'bilinear' or 'nearest', but got: 'bicubic'/);
        expectThrowsClean(() => F.gridSample(image, grid, { paddingMode: 'foo' as 'zeros' }),
          /gridSample\(\): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'foo'/);
      }));
  });
}
