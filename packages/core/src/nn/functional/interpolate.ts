/**
 * torch.nn.functional.interpolate, one spatial dim at a time: each output position reads a few
 * input positions (indexSelect) and weighs them with constants, using PyTorch's source-index
 * formulas in float32 arithmetic so that the same neighbours are picked. pixelShuffle and
 * pixelUnshuffle are reshapes and a permute. Gradients come from the composed ops.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { tensor } from '../../ops/creation.ts';
import { add, mul } from '../../ops/elementwise.ts';
import { permute, reshape } from '../../ops/view.ts';
import { selectAlong } from './padding.ts';
import { checkTensors } from '../../ops/broadcast.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';

export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear';

export interface InterpolateOptions {
  /** Output spatial size (one number for every spatial dim, or one per dim). Give this or `scaleFactor`. */
  size?: number | readonly number[];
  /** Multiplier of every (or each) spatial size; the output size is floor(size * factor). */
  scaleFactor?: number | readonly number[];
  /** 'nearest' by default. linear needs 3-D input, bilinear and bicubic 4-D, trilinear 5-D. */
  mode?: InterpolateMode;
  /** For the interpolating modes: align the centres of the corner pixels (false by default). */
  alignCorners?: boolean | null;
  /** Compute the sampling scale from the output size rather than use `scaleFactor` as given. */
  recomputeScaleFactor?: boolean | null;
}

export const INTERPOLATE_OPTIONS: OptionKeys<InterpolateOptions> = {
  size: true, scaleFactor: true, mode: true, alignCorners: true, recomputeScaleFactor: true,
};

const f32 = Math.fround;
const cubicA = -0.75;
const modeRank: Partial<Record<InterpolateMode, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };
const allModes = 'nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact';

/** The positions and weights each output position of one dim reads: taps[k][o] and weights[k][o]. */
interface Taps {
  positions: number[][];
  weights: number[][] | null;
}

/** PyTorch's area_pixel_compute_scale in float32. */
function areaScale(input: number, output: number, alignCorners: boolean, scale: number | undefined): number {
  if (alignCorners) return output > 1 ? f32((input - 1) / (output - 1)) : 0;
  return scale !== undefined && scale > 0 ? f32(1 / scale) : f32(input / output);
}

/** PyTorch's area_pixel_compute_source_index in float32. */
function sourceIndex(scale: number, o: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return f32(scale * o);
  const src = f32(f32(scale * f32(o + 0.5)) - 0.5);
  return !cubic && src < 0 ? 0 : src;
}

const clampTo = (i: number, n: number): number => Math.min(Math.max(i, 0), n - 1);
const cubicNear = (t: number): number => ((cubicA + 2) * t - (cubicA + 3)) * t * t + 1;
const cubicFar = (t: number): number => ((cubicA * t - 5 * cubicA) * t + 8 * cubicA) * t - 4 * cubicA;

function nearestTaps(input: number, output: number, scale: number | undefined, exact: boolean): Taps {
  const s = scale !== undefined && scale > 0 ? f32(1 / scale) : f32(input / output);
  const at = (o: number): number => Math.min(Math.floor(f32(exact ? (o + 0.5) * s : o * s)), input - 1);
  return { positions: [Array.from({ length: output }, (_, o) => at(o))], weights: null };
}

function linearTaps(input: number, output: number, alignCorners: boolean, scale: number | undefined): Taps {
  // PyTorch copies a dim whose size does not change, whatever the scale factor says.
  if (output === input) return { positions: [Array.from({ length: output }, (_, o) => o)], weights: null };
  const s = areaScale(input, output, alignCorners, scale);
  const positions: number[][] = [[], []];
  const weights: number[][] = [[], []];
  for (let o = 0; o < output; o++) {
    const src = sourceIndex(s, o, alignCorners, false);
    const low = Math.floor(src);
    const lambda = f32(src - low);
    positions[0]!.push(low);
    positions[1]!.push(low < input - 1 ? low + 1 : low);
    weights[0]!.push(f32(1 - lambda));
    weights[1]!.push(lambda);
  }
  return { positions, weights };
}

function cubicTaps(input: number, output: number, alignCorners: boolean, scale: number | undefined): Taps {
  const s = areaScale(input, output, alignCorners, scale);
  const positions: number[][] = [[], [], [], []];
  const weights: number[][] = [[], [], [], []];
  for (let o = 0; o < output; o++) {
    const src = sourceIndex(s, o, alignCorners, true);
    const low = Math.floor(src);
    const t = f32(src - low);
    const coefficients = [cubicFar(t + 1), cubicNear(t), cubicNear(1 - t), cubicFar(2 - t)];
    for (let k = 0; k < 4; k++) {
      positions[k]!.push(clampTo(low - 1 + k, input));
      weights[k]!.push(coefficients[k]!);
    }
  }
  return { positions, weights };
}

/** `x` resampled along `d` by the given taps: the weighted sum of the selected positions. */
function resampleAlong(x: Tensor, d: number, taps: Taps): Tensor {
  const trailing = new Array<number>(x.ndim - 1 - d).fill(1);
  const terms = taps.positions.map((p, k) => {
    const picked = selectAlong(x, d, p);
    if (!taps.weights) return picked;
    const w = tensor(taps.weights[k]!, { dtype: x.dtype, device: x.device });
    return mul(picked, reshape(w, [p.length, ...trailing]));
  });
  return terms.reduce((sum, t) => add(sum, t));
}

/** One value per spatial dim from a number or a list; null when absent. */
function perDim(value: number | readonly number[] | undefined, spatial: readonly number[], what: 'output size' | 'scale_factor'): number[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return spatial.map(() => value);
  if (value.length !== spatial.length) {
    const subject = what === 'output size' ? 'output' : 'scale_factor';
    const noun = what === 'output size' ? 'output size of' : 'scale_factor of shape';
    throw new RangeError(`interpolate(): Input and ${subject} must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.join(', ')}] and ${noun} (${value.join(', ')}).`);
  }
  return [...value];
}

/**
 * `x` [N, C, ...spatial] resized to `size` or by `scaleFactor`, as torch.nn.functional.interpolate
 * (modes nearest, nearest-exact, linear, bilinear, bicubic, trilinear; bicubic uses A = -0.75 and
 * clamps taps at the border, so it can overshoot the input's range as PyTorch's does). The gradient
 * is that of the forward: for 'nearest' with a `scaleFactor` that keeps a dim's size or exactly
 * doubles it, PyTorch 1.13's backward reads other positions than its forward does, and flint's does not.
 * @example flint.nn.functional.interpolate(img, { scaleFactor: 2, mode: 'bilinear', alignCorners: false })
 */
export function interpolate(x: Tensor, options: InterpolateOptions = {}): Tensor {
  checkTensors('interpolate', [x]);
  checkOptions('interpolate', options, INTERPOLATE_OPTIONS);
  x.assertAlive('interpolate');
  const mode = options.mode ?? 'nearest';
  const known = ['nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear'].includes(mode);
  const rank = modeRank[mode];
  if (!known || x.ndim < 3 || x.ndim > 5 || (mode === 'bicubic' && x.ndim !== 4)) {
    throw new RangeError(`interpolate(): Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.ndim}D) for the modes: ${allModes} (got ${mode})`);
  }
  if (rank !== undefined && x.ndim !== rank) throw new RangeError(`interpolate(): Got ${x.ndim}D input, but ${mode} mode needs ${rank}D input`);
  const interpolating = rank !== undefined;
  if (interpolating && x.dtype !== 'float32') throw new TypeError(`interpolate(): ${mode} interpolation needs a float32 input, got ${x.dtype}`);
  if (!interpolating && options.alignCorners !== undefined && options.alignCorners !== null) {
    throw new RangeError('interpolate(): align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  }
  const spatial = x.shape.slice(2);
  const size = perDim(options.size, spatial, 'output size');
  const factors = perDim(options.scaleFactor, spatial, 'scale_factor');
  if (size && factors) throw new RangeError('interpolate(): only one of size or scale_factor should be defined');
  if (!size && !factors) throw new RangeError('interpolate(): either size or scale_factor should be defined');
  const output = size ?? spatial.map((s, i) => Math.floor(s * factors![i]!));
  if (output.some((o) => !Number.isInteger(o)) || output.some((o) => o <= 0) || spatial.some((s) => s <= 0)) {
    const names = ['D', 'H', 'W'].slice(3 - spatial.length);
    const show = (v: readonly number[]): string => v.map((n, i) => `${names[i]}: ${n}`).join(', ');
    throw new RangeError(`interpolate(): Input and output sizes should be greater than 0, but got input (${show(spatial)}) output (${show(output)})`);
  }
  const scales = factors && !options.recomputeScaleFactor ? factors : null;
  const alignCorners = options.alignCorners ?? false;
  return tidy(() => {
    let out = x;
    spatial.forEach((input, i) => {
      const [o, s] = [output[i]!, scales?.[i]];
      const taps = mode === 'nearest' || mode === 'nearest-exact' ? nearestTaps(input, o, s, mode === 'nearest-exact')
        : mode === 'bicubic' ? cubicTaps(input, o, alignCorners, s) : linearTaps(input, o, alignCorners, s);
      out = resampleAlong(out, i + 2, taps);
    });
    return out;
  });
}

function checkFactor(op: string, x: Tensor, factor: number, name: string): void {
  x.assertAlive(op);
  if (x.ndim < 3) throw new RangeError(`${op}(): ${op === 'pixelShuffle' ? 'pixel_shuffle' : 'pixel_unshuffle'} expects input to have at least 3 dimensions, but got input with ${x.ndim} dimension(s)`);
  if (!Number.isInteger(factor) || factor <= 0) throw new RangeError(`${op}(): ${op === 'pixelShuffle' ? 'pixel_shuffle' : 'pixel_unshuffle'} expects a positive ${name}, but got ${factor}`);
}

/**
 * [*, C * r * r, H, W] rearranged to [*, C, H * r, W * r], as torch.nn.functional.pixel_shuffle
 * (the sub-pixel convolution's upsampling).
 */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  checkTensors('pixelShuffle', [x]);
  const r = upscaleFactor;
  checkFactor('pixelShuffle', x, r, 'upscale_factor');
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (c % (r * r) !== 0) {
    throw new RangeError(`pixelShuffle(): pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  }
  const lead = x.shape.slice(0, -3);
  const b = lead.length;
  return tidy(() => {
    const split = reshape(x, [...lead, c / (r * r), r, r, h, w]);
    const moved = permute(split, [...lead.keys(), b, b + 3, b + 1, b + 4, b + 2]);
    return reshape(moved, [...lead, c / (r * r), h * r, w * r]);
  });
}

/** The inverse of {@link pixelShuffle}: [*, C, H * r, W * r] to [*, C * r * r, H, W]. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  checkTensors('pixelUnshuffle', [x]);
  const r = downscaleFactor;
  checkFactor('pixelUnshuffle', x, r, 'downscale_factor');
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  if (h % r !== 0) throw new RangeError(`pixelUnshuffle(): pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RangeError(`pixelUnshuffle(): pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const lead = x.shape.slice(0, -3);
  const b = lead.length;
  return tidy(() => {
    const split = reshape(x, [...lead, c, h / r, r, w / r, r]);
    const moved = permute(split, [...lead.keys(), b, b + 2, b + 4, b + 1, b + 3]);
    return reshape(moved, [...lead, c * r * r, h / r, w / r]);
  });
}
