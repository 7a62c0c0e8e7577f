/**
 * Transposed 2-D convolution (the adjoint of conv2d in its input, which the backends compute for
 * conv2d's gradient), and the 1-D convolutions as 2-D ones over a height of 1.
 */
import type { Conv2dParams } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { backendOf } from './kernel.ts';
import { add } from './elementwise.ts';
import { reshape, squeeze, unsqueeze } from './view.ts';
import { conv2d, convInputGrad, pair, type Conv2dOptions, type Pair } from './conv.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { traced } from '../trace/state.ts';

export interface ConvTranspose2dOptions {
  stride?: Pair;
  /** Rows and columns dropped from each side of the full output (dilation * (kernel - 1) - padding are added). */
  padding?: Pair;
  /** Extra rows and columns on one side of the output, to pick among the sizes a strided conv2d maps to one. */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

const CONV_TRANSPOSE2D_OPTIONS: OptionKeys<ConvTranspose2dOptions> = {
  stride: true, padding: true, outputPadding: true, dilation: true, groups: true,
};

/**
 * The transposed convolution of x [N, inC, H, W] (or unbatched [inC, H, W]) with weight
 * [inC, outC / groups, kH, kW], as torch.nn.functional.conv_transpose2d: the gradient of conv2d
 * with respect to its input, so `convTranspose2d(conv2d(x, w), w)` has x's shape.
 * @example flint.convTranspose2d(z, w, null, { stride: 2, padding: 1, outputPadding: 1 }) // doubles H and W
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  return traced('convTranspose2d', [x, weight, bias], options, () => {
    checkTensors('convTranspose2d', [x, weight]);
    checkOptions('convTranspose2d', options, CONV_TRANSPOSE2D_OPTIONS);
    const op = 'conv_transpose2d';
    backendOf(op, x, weight, bias);
    if (x.dtype !== 'float32' || weight.dtype !== 'float32') throw new TypeError(`${op}(): expected float32 input and weight, got ${x.dtype} and ${weight.dtype}`);
    if (x.ndim === 3) return tidy(() => squeeze(convTranspose2d(unsqueeze(x, 0), weight, bias, options), 0));
    if (x.ndim !== 4) throw new RangeError(`${op}(): Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${formatShape(x.shape)}`);
    if (weight.ndim !== 4) throw new RangeError(`${op}(): weight must be 4-D [in, out/groups, kH, kW], got ${formatShape(weight.shape)}`);
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}(): non-positive groups is not supported`);
    const stride = pair(op, 'stride', options.stride ?? 1, 1);
    const padding = pair(op, 'padding', options.padding ?? 0, 0);
    const outputPadding = pair(op, 'output_padding', options.outputPadding ?? 0, 0);
    const dilation = pair(op, 'dilation', options.dilation ?? 1, 1);
    if (outputPadding.some((p, i) => p >= stride[i]! && p >= dilation[i]!)) {
      throw new RangeError(`${op}(): output padding must be smaller than either stride or dilation, but got output_padding: (${outputPadding.join(', ')}), stride: (${stride.join(', ')}), dilation: (${dilation.join(', ')})`);
    }
    const [n, c, h, w] = x.shape as [number, number, number, number];
    if (weight.shape[0] !== c) {
      throw new RangeError(`${op}(): Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${weight.shape[0]} channels, but got ${c} channels instead`);
    }
    if (c % groups !== 0) throw new RangeError(`${op}(): in_channels (${c}) must be divisible by groups (${groups})`);
    const outC = weight.shape[1]! * groups;
    const size = [h, w].map((s, i) => (s - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * (weight.shape[2 + i]! - 1) + outputPadding[i]! + 1);
    if (size.some((s) => s < 1)) throw new RangeError(`${op}(): Given input size per channel: (${h} x ${w}). Calculated output size per channel: (${size.join(' x ')}). Output size is too small`);
    if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) throw new RangeError(`${op}(): bias must have shape [${outC}], got ${formatShape(bias.shape)}`);
    const params: Conv2dParams = { stride, padding, dilation, groups };
    return tidy(() => {
      const out = convInputGrad(x, weight, [n, outC, ...size], params);
      return bias ? add(out, reshape(bias, [1, -1, 1, 1])) : out;
    });
  });
}

/** An option of a 1-D convolution as the pair its 2-D form takes (height 1, the given width). */
const asPair = (v: number | readonly [number] | undefined, height: number): [number, number] | undefined =>
  v === undefined ? undefined : [height, typeof v === 'number' ? v : v[0]];

export interface Conv1dOptions {
  stride?: number | readonly [number];
  padding?: number | readonly [number] | 'same' | 'valid';
  dilation?: number | readonly [number];
  groups?: number;
}

const CONV1D_OPTIONS: OptionKeys<Conv1dOptions> = { stride: true, padding: true, dilation: true, groups: true };

/** Runs a 2-D op on x [N, C, L] (or [C, L]) as [N, C, 1, L] with weight [.., .., 1, k]. */
function asTwoD(x: Tensor, weight: Tensor, run: (x4: Tensor, w4: Tensor) => Tensor): Tensor {
  return tidy(() => squeeze(run(unsqueeze(x, -2), unsqueeze(weight, -2)), -2));
}

/** 1-D cross-correlation over x [N, C, L] with weight [O, C / groups, k], as torch.nn.functional.conv1d. */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  return traced('conv1d', [x, weight, bias], options, () => {
    checkTensors('conv1d', [x, weight]);
    checkOptions('conv1d', options, CONV1D_OPTIONS);
    if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`conv1d(): Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${formatShape(x.shape)}`);
    if (weight.ndim !== 3) throw new RangeError(`conv1d(): weight must be 3-D [out, in/groups, k], got ${formatShape(weight.shape)}`);
    const padding = options.padding;
    const o: Conv2dOptions = {
      stride: asPair(options.stride, 1),
      padding: padding === 'same' || padding === 'valid' ? padding : asPair(padding, 0),
      dilation: asPair(options.dilation, 1),
      groups: options.groups,
    };
    return asTwoD(x, weight, (x4, w4) => conv2d(x4, w4, bias, o));
  });
}

export interface ConvTranspose1dOptions {
  stride?: number | readonly [number];
  padding?: number | readonly [number];
  outputPadding?: number | readonly [number];
  dilation?: number | readonly [number];
  groups?: number;
}

const CONV_TRANSPOSE1D_OPTIONS: OptionKeys<ConvTranspose1dOptions> = {
  stride: true, padding: true, outputPadding: true, dilation: true, groups: true,
};

/** The transposed 1-D convolution of x [N, inC, L] with weight [inC, outC / groups, k] (see {@link convTranspose2d}). */
export function convTranspose1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose1dOptions = {}): Tensor {
  checkTensors('convTranspose1d', [x, weight]);
  checkOptions('convTranspose1d', options, CONV_TRANSPOSE1D_OPTIONS);
  if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`conv_transpose1d(): Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: ${formatShape(x.shape)}`);
  if (weight.ndim !== 3) throw new RangeError(`conv_transpose1d(): weight must be 3-D [in, out/groups, k], got ${formatShape(weight.shape)}`);
  const o: ConvTranspose2dOptions = {
    stride: asPair(options.stride, 1),
    padding: asPair(options.padding, 0),
    outputPadding: asPair(options.outputPadding, 0),
    dilation: asPair(options.dilation, 1),
    groups: options.groups,
  };
  return asTwoD(x, weight, (x4, w4) => convTranspose2d(x4, w4, bias, o));
}
