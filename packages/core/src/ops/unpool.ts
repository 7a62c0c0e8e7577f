/** max_unpool2d: the values of a max pool written back at the positions its indices name. */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { zeros } from './creation.ts';
import { pair, type Pair } from './conv.ts';
import { reshape, squeeze, unsqueeze } from './view.ts';
import { scatter } from './index-writes.ts';
import { gather } from './indexing.ts';
import { record } from './kernel.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkTensors } from './broadcast.ts';

export interface MaxUnpool2dOptions {
  /** The pool's stride (default: the kernel size). */
  stride?: Pair;
  padding?: Pair;
  /** The size to restore, where several input sizes pool to the same output (the last two dims, or all of them). */
  outputSize?: readonly number[];
}

const MAX_UNPOOL2D_OPTIONS: OptionKeys<MaxUnpool2dOptions> = { stride: true, padding: true, outputSize: true };

/**
 * Zeros of the pooled input's size with `x` written at `indices` (flat positions within each
 * [H, W] plane, as maxPool2dWithIndices returns them), as torch.nn.functional.max_unpool2d.
 * @example const { values, indices } = flint.nn.functional.maxPool2dWithIndices(x, 2); maxUnpool2d(values, indices, 2)
 */
export function maxUnpool2d(x: Tensor, indices: Tensor, kernelSize: Pair, options: MaxUnpool2dOptions = {}): Tensor {
  checkTensors('maxUnpool2d', [x, indices]);
  checkOptions('maxUnpool2d', options, MAX_UNPOOL2D_OPTIONS);
  const op = 'max_unpool2d';
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`${op}(): Expected 3D or 4D input, got ${formatShape(x.shape)}`);
  if (indices.dtype !== 'int32') throw new TypeError(`${op}(): Expected dtype int32 for indices, got ${indices.dtype}`);
  if (indices.shape.length !== x.shape.length || indices.shape.some((s, i) => s !== x.shape[i])) {
    throw new RangeError(`${op}(): Expected shape of indices to be same as that of the input tensor (${formatShape(x.shape)}) but got indices tensor with shape: ${formatShape(indices.shape)}`);
  }
  if (x.ndim === 3) return tidy(() => squeeze(maxUnpool2d(unsqueeze(x, 0), unsqueeze(indices, 0), kernelSize, options), 0));
  const kernel = pair(op, 'kernel_size', kernelSize, 1);
  const stride = pair(op, 'stride', options.stride ?? kernel, 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  const defaults = [0, 1].map((i) => (x.shape[2 + i]! - 1) * stride[i]! - 2 * padding[i]! + kernel[i]!);
  const size = options.outputSize ? options.outputSize.slice(-2) : defaults;
  [0, 1].forEach((i) => {
    const [low, high] = [defaults[i]! - stride[i]!, defaults[i]! + stride[i]!];
    if (!(size[i]! > low && size[i]! < high)) {
      throw new RangeError(`${op}(): invalid output_size "(${size.join(', ')})" (dim ${i} must be between ${low + 1} and ${high - 1})`);
    }
  });
  const [n, c] = x.shape as [number, number];
  return tidy(() => {
    const plane = size[0]! * size[1]!;
    const at = reshape(indices, [n, c, -1]);
    const values = reshape(x, [n, c, -1]);
    // Overlapping windows may pick one element twice (the same value); like PyTorch's, the gradient
    // of each pooled value is the gradient at its position, not a share of it.
    const flat = noGrad(() => scatter(zeros([n, c, plane], { device: x.device, dtype: x.dtype }), 2, at, values));
    const out = record('MaxUnpool2dBackward', flat, [values], [at], (g) => [gather(g, 2, at)]);
    return reshape(out, [n, c, size[0]!, size[1]!]);
  });
}
