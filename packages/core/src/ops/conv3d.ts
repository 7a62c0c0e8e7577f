/**
 * 3-D convolution, composed: the input is zero-padded, every kernel tap of every output position
 * is gathered with one indexSelect per spatial dim (im2col), and the columns meet the weight in a
 * batched matmul per group. Gradients come from those ops. It trades memory (the columns hold
 * kD kH kW values per output position) for needing no 3-D kernel in the backends.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { backendOf } from './kernel.ts';
import { tensor } from './creation.ts';
import { add } from './elementwise.ts';
import { indexSelect } from './indexing.ts';
import { zeroPad } from './join.ts';
import { matmul } from './linalg.ts';
import { permute, reshape, squeeze, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

type Triple = number | readonly [number, number, number];

export interface Conv3dOptions {
  stride?: Triple;
  /** Zero padding on each side, or 'same' (one more after than before when the total is odd) / 'valid'. */
  padding?: Triple | 'same' | 'valid';
  dilation?: Triple;
  groups?: number;
}

const CONV3D_OPTIONS: OptionKeys<Conv3dOptions> = { stride: true, padding: true, dilation: true, groups: true };

function triple(name: string, v: Triple, min: number): [number, number, number] {
  const t: [number, number, number] = typeof v === 'number' ? [v, v, v] : [v[0], v[1], v[2]];
  if (!t.every((x) => Number.isInteger(x) && x >= min)) throw new RangeError(`conv3d(): ${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return t;
}

/**
 * 3-D cross-correlation over x [N, C, D, H, W] (or unbatched [C, D, H, W]) with weight
 * [O, C / groups, kD, kH, kW], as torch.nn.functional.conv3d.
 */
export function conv3d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv3dOptions = {}): Tensor {
  checkOptions('conv3d', options, CONV3D_OPTIONS);
  const op = 'conv3d';
  backendOf(op, x, weight, bias);
  if (x.dtype !== 'float32' || weight.dtype !== 'float32') throw new TypeError(`${op}(): expected float32 input and weight, got ${x.dtype} and ${weight.dtype}`);
  if (x.ndim === 4) return tidy(() => squeeze(conv3d(unsqueeze(x, 0), weight, bias, options), 0));
  if (x.ndim !== 5) throw new RangeError(`${op}(): Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: ${formatShape(x.shape)}`);
  if (weight.ndim !== 5) throw new RangeError(`${op}(): weight must be 5-D [out, in/groups, kD, kH, kW], got ${formatShape(weight.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}(): non-positive groups is not supported`);
  const [n, c] = x.shape as [number, number];
  const [outC, inPerGroup] = weight.shape as [number, number];
  if (c !== inPerGroup * groups) {
    throw new RangeError(`${op}(): Given groups=${groups}, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${inPerGroup * groups} channels, but got ${c} channels instead`);
  }
  if (outC % groups !== 0) throw new RangeError(`${op}(): out_channels (${outC}) must be divisible by groups (${groups})`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outC)) throw new RangeError(`${op}(): bias must have shape [${outC}], got ${formatShape(bias.shape)}`);
  const stride = triple('stride', options.stride ?? 1, 1);
  const dilation = triple('dilation', options.dilation ?? 1, 1);
  const kernel = weight.shape.slice(2) as [number, number, number];
  const reach = kernel.map((k, i) => dilation[i]! * (k - 1));
  let pads: Array<readonly [number, number]>;
  if (options.padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new RangeError(`${op}(): padding='same' is not supported for strided convolutions`);
    pads = reach.map((r) => [Math.floor(r / 2), r - Math.floor(r / 2)] as const);
  } else {
    const p = options.padding === 'valid' || options.padding === undefined ? [0, 0, 0] : triple('padding', options.padding, 0);
    pads = p.map((v) => [v, v] as const);
  }
  const sizes = [0, 1, 2].map((i) => x.shape[2 + i]! + pads[i]![0] + pads[i]![1]);
  const out = sizes.map((s, i) => Math.floor((s - reach[i]! - 1) / stride[i]!) + 1);
  if (out.some((o) => o < 1)) {
    throw new RangeError(`${op}(): Calculated output size: (${out.join('x')}) is too small for input ${formatShape(x.shape)} and kernel ${formatShape(weight.shape)}`);
  }
  return tidy(() => {
    let cols = [0, 1, 2].reduce((t, i) => zeroPad(t, 2 + i, pads[i]![0], pads[i]![1]), x);
    // Dim 2 + 2i holds output position i split into [out, kernel] once its dim is gathered.
    for (let i = 0; i < 3; i++) {
      const taps = Array.from({ length: out[i]! * kernel[i]! }, (_, j) => Math.floor(j / kernel[i]!) * stride[i]! + (j % kernel[i]!) * dilation[i]!);
      const d = 2 + 2 * i;
      cols = indexSelect(cols, d, tensor(taps, { dtype: 'int32', device: x.device }));
      cols = reshape(cols, [...cols.shape.slice(0, d), out[i]!, kernel[i]!, ...cols.shape.slice(d + 1)]);
    }
    // [N, C, oD, kD, oH, kH, oW, kW] -> [N, groups, oD oH oW, C / groups * kD kH kW]
    const positions = out[0]! * out[1]! * out[2]!;
    const taps = inPerGroup * kernel[0] * kernel[1] * kernel[2];
    const grouped = reshape(permute(cols, [0, 2, 4, 6, 1, 3, 5, 7]), [n, positions, groups, taps]);
    const w = permute(reshape(weight, [groups, outC / groups, taps]), [0, 2, 1]);
    const y = matmul(permute(grouped, [0, 2, 1, 3]), w);
    const result = reshape(permute(y, [0, 1, 3, 2]), [n, outC, ...out]);
    return bias ? add(result, reshape(bias, [1, -1, 1, 1, 1])) : result;
  });
}
