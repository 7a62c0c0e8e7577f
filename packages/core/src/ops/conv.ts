/** conv2d and its two gradients, each differentiable through the other two. */
import type { Conv2dParams } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { add } from './elementwise.ts';
import { narrow, reshape, squeeze, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { traced } from '../trace/state.ts';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding on each side, or 'same' / 'valid' as in PyTorch. */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

const CONV2D_OPTIONS: OptionKeys<Conv2dOptions> = { stride: true, padding: true, dilation: true, groups: true };

export function pair(op: string, name: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((x) => Number.isInteger(x) && x >= min)) throw new RangeError(`${op}(): ${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
}

/** Output size of one spatial dim of a convolution or pool. */
export function convOutSize(size: number, kernel: number, stride: number, padding: number, dilation: number, ceil = false): number {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  return (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
}

export function convGeometry(op: string, x: Tensor, w: Tensor, o: Conv2dOptions): Conv2dParams {
  if (x.ndim !== 4) throw new RangeError(`${op}(): Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${formatShape(x.shape)}`);
  if (w.ndim !== 4) throw new RangeError(`${op}(): weight must be 4-D [out, in/groups, kH, kW], got ${formatShape(w.shape)}`);
  const groups = o.groups ?? 1;
  const stride = pair(op, 'stride', o.stride ?? 1, 1);
  const dilation = pair(op, 'dilation', o.dilation ?? 1, 1);
  let padding: [number, number];
  if (o.padding === 'valid' || o.padding === undefined) padding = [0, 0];
  else if (o.padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${op}(): padding='same' is not supported for strided convolutions`);
    // An even total pads one more after than before, as PyTorch does; conv() pads ceil(total / 2)
    // on both sides and drops the extra first output (see sameCrop).
    const total = [dilation[0] * (w.shape[2]! - 1), dilation[1] * (w.shape[3]! - 1)];
    padding = [Math.ceil(total[0]! / 2), Math.ceil(total[1]! / 2)];
  } else padding = pair(op, 'padding', o.padding, 0);
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}(): non-positive groups is not supported`);
  const [, c] = x.shape;
  const [outC, inPerGroup] = w.shape;
  if (c !== inPerGroup! * groups) {
    throw new RangeError(`${op}(): Given groups=${groups}, weight of size ${formatShape(w.shape)}, expected input${formatShape(x.shape)} to have ${inPerGroup! * groups} channels, but got ${c} channels instead`);
  }
  if (outC! % groups !== 0) throw new RangeError(`${op}(): out_channels (${outC}) must be divisible by groups (${groups})`);
  const params = { stride, padding, dilation, groups };
  const [oh, ow] = [0, 1].map((i) => convOutSize(x.shape[2 + i]!, w.shape[2 + i]!, stride[i]!, padding[i]!, dilation[i]!));
  if (oh! < 1 || ow! < 1) {
    throw new RangeError(`${op}(): Calculated output size: (${oh}x${ow}) is too small for input ${formatShape(x.shape)} and kernel ${formatShape(w.shape)}`);
  }
  return params;
}

function conv(x: Tensor, w: Tensor, p: Conv2dParams): Tensor {
  const backend = backendOf('conv2d', x, w);
  const oh = convOutSize(x.shape[2]!, w.shape[2]!, p.stride[0], p.padding[0], p.dilation[0]);
  const ow = convOutSize(x.shape[3]!, w.shape[3]!, p.stride[1], p.padding[1], p.dilation[1]);
  const out = wrap(backend, backend.conv2d(x.layout, w.layout, p), [x.shape[0]!, w.shape[0]!, oh, ow], x.dtype);
  return record('ConvolutionBackward', out, [x, w], [x, w], (g) => [
    x.requiresGrad ? convInputGrad(g, w, x.shape, p) : null,
    w.requiresGrad ? convWeightGrad(x, g, w.shape, p) : null,
  ]);
}

/** The adjoint of conv in x: <conv(x, w), dy> = <x, convInputGrad(dy, w)> (also the transposed convolution). */
export function convInputGrad(dy: Tensor, w: Tensor, xShape: readonly number[], p: Conv2dParams): Tensor {
  const backend = backendOf('conv2d', dy, w);
  const out = wrap(backend, backend.conv2dBackwardInput(dy.layout, w.layout, xShape, p), xShape, dy.dtype);
  return record('ConvolutionBackwardInput', out, [dy, w], [dy, w], (gx) => [
    dy.requiresGrad ? convTo(gx, w, p, dy.shape) : null,
    w.requiresGrad ? convWeightGrad(gx, dy, w.shape, p) : null,
  ]);
}

/** The adjoint of conv in w: <conv(x, w), dy> = <w, convWeightGrad(x, dy)>. */
function convWeightGrad(x: Tensor, dy: Tensor, wShape: readonly number[], p: Conv2dParams): Tensor {
  const backend = backendOf('conv2d', x, dy);
  const out = wrap(backend, backend.conv2dBackwardWeight(x.layout, dy.layout, wShape, p), wShape, x.dtype);
  return record('ConvolutionBackwardWeight', out, [x, dy], [x, dy], (gw) => [
    x.requiresGrad ? convInputGrad(dy, gw, x.shape, p) : null,
    dy.requiresGrad ? convTo(x, gw, p, dy.shape) : null,
  ]);
}

/**
 * conv(x, w) cut to `shape`: when x is larger than the input that maps onto `shape` (a transposed
 * convolution's output padding), the positions past `shape` belong to no output.
 */
function convTo(x: Tensor, w: Tensor, p: Conv2dParams, shape: readonly number[]): Tensor {
  const out = conv(x, w, p);
  if (out.shape[2] === shape[2] && out.shape[3] === shape[3]) return out;
  return tidy(() => narrow(narrow(out, 2, 0, shape[2]!), 3, 0, shape[3]!));
}

/**
 * 2-D cross-correlation over x [N, C, H, W] with weight [O, C / groups, kH, kW], as torch.nn.functional.conv2d.
 * @example flint.conv2d(x, w, b, { stride: 2, padding: 1 })
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  return traced('conv2d', [x, weight, bias], options, () => {
    checkOptions('conv2d', options, CONV2D_OPTIONS);
    backendOf('conv2d', x, weight, bias);
    if (x.dtype !== 'float32' || weight.dtype !== 'float32') throw new TypeError(`conv2d(): expected float32 input and weight, got ${x.dtype} and ${weight.dtype}`);
    if (x.ndim === 3) return tidy(() => squeeze(conv2d(unsqueeze(x, 0), weight, bias, options), 0));
    const params = convGeometry('conv2d', x, weight, options);
    if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) throw new RangeError(`conv2d(): bias must have shape [${weight.shape[0]}], got ${formatShape(bias.shape)}`);
    return tidy(() => {
      const out = options.padding === 'same' ? sameCrop(conv(x, weight, params), x.shape) : conv(x, weight, params);
      return bias ? add(out, reshape(bias, [1, -1, 1, 1])) : out;
    });
  });
}

/** The output of 'same' padding with an even total in a dim: all but its first row (or column). */
function sameCrop(out: Tensor, xShape: readonly number[]): Tensor {
  return [2, 3].reduce((t, d) => (t.shape[d] === xShape[d] ? t : narrow(t, d, 1, xShape[d]!)), out);
}
