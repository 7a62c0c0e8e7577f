/**
 * torch.nn.functional.unfold (im2col) and fold (col2im). The rows every (kernel row, block row)
 * pair reads, and likewise the columns, are host-computed positions: unfold selects them with two
 * indexSelects, fold adds them back with two indexAdds, so overlaps sum and gradients come free.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { tensor, zeros } from '../../ops/creation.ts';
import { indexAdd } from '../../ops/index-writes.ts';
import { narrow, permute, reshape, squeeze, unsqueeze } from '../../ops/view.ts';
import type { Pair } from '../../ops/conv.ts';
import { pad, selectAlong } from './padding.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export interface FoldOptions {
  /** Spacing between kernel taps (1 by default). */
  dilation?: Pair;
  /** Zero padding on each side of both spatial dims (0 by default). */
  padding?: Pair;
  /** Step between blocks (1 by default). */
  stride?: Pair;
}

export const FOLD_OPTIONS: OptionKeys<FoldOptions> = { dilation: true, padding: true, stride: true };

interface Geometry {
  kernel: [number, number];
  dilation: [number, number];
  padding: [number, number];
  stride: [number, number];
}

const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

function geometry(op: string, kernelSize: Pair, o: FoldOptions): Geometry {
  const g: Geometry = { kernel: asPair(kernelSize), dilation: asPair(o.dilation ?? 1), padding: asPair(o.padding ?? 0), stride: asPair(o.stride ?? 1) };
  const check = (label: string, field: string, [h, w]: [number, number], min: number, relation: string): void => {
    if (!Number.isInteger(h) || !Number.isInteger(w) || h < min || w < min) {
      throw new RangeError(`${op}(): ${label} should be ${relation}, but got ${field}_height: ${h} ${field}_width: ${w}`);
    }
  };
  check('kernel size', 'kernel', g.kernel, 1, 'greater than zero');
  check('dilation', 'dilation', g.dilation, 1, 'greater than zero');
  check('padding', 'pad', g.padding, 0, 'non-negative');
  check('stride', 'stride', g.stride, 1, 'greater than zero');
  return g;
}

/** The number of blocks along one spatial dim of size `size`. */
const blocks = (size: number, g: Geometry, i: 0 | 1): number =>
  Math.floor((size + 2 * g.padding[i] - g.dilation[i] * (g.kernel[i] - 1) - 1) / g.stride[i]) + 1;

/** For every (kernel tap, block) pair along spatial dim `i`, the padded position it reads. */
function positions(g: Geometry, i: 0 | 1, count: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < g.kernel[i]; k++) for (let b = 0; b < count; b++) out.push(k * g.dilation[i] + b * g.stride[i]);
  return out;
}

const geometryText = (g: Geometry): string =>
  `kernel_size=(${g.kernel.join(', ')}), dilation=(${g.dilation.join(', ')}), padding=(${g.padding.join(', ')})`;

/**
 * Sliding blocks of `x` [N, C, H, W] (or [C, H, W]) as columns: [N, C * kh * kw, L] with L the
 * number of blocks, as torch.nn.functional.unfold. Each column lists a block's channels, then its
 * kernel rows, then its kernel columns.
 */
export function unfold(x: Tensor, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  checkTensors('unfold', [x]);
  checkOptions('unfold', options, FOLD_OPTIONS);
  x.assertAlive('unfold');
  const g = geometry('unfold', kernelSize, options);
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape.slice(-3).some((s) => s === 0)) {
    throw new RangeError(`unfold(): Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${formatShape(x.shape)}`);
  }
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  const [bh, bw] = [blocks(h, g, 0), blocks(w, g, 1)];
  if (bh < 1 || bw < 1) {
    throw new RangeError(`unfold(): Given input with spatial size (${h}, ${w}), ${geometryText(g)}, calculated shape of the array of sliding blocks as (${bh}, ${bw}), but its components must be at least one.`);
  }
  return tidy(() => {
    const batched = x.ndim === 4 ? x : unsqueeze(x, 0);
    const n = batched.shape[0]!;
    const padded = pad(batched, [g.padding[1], g.padding[1], g.padding[0], g.padding[0]]);
    const picked = selectAlong(selectAlong(padded, 2, positions(g, 0, bh)), 3, positions(g, 1, bw));
    const split = reshape(picked, [n, c, g.kernel[0], bh, g.kernel[1], bw]);
    const columns = reshape(permute(split, [0, 1, 2, 4, 3, 5]), [n, c * g.kernel[0] * g.kernel[1], bh * bw]);
    return x.ndim === 4 ? columns : squeeze(columns, 0);
  });
}

/**
 * The inverse arrangement of {@link unfold}: columns [N, C * kh * kw, L] (or [C * kh * kw, L])
 * summed into an image [N, C, ...outputSize], overlapping entries added, as
 * torch.nn.functional.fold.
 */
export function fold(x: Tensor, outputSize: Pair, kernelSize: Pair, options: FoldOptions = {}): Tensor {
  checkTensors('fold', [x]);
  checkOptions('fold', options, FOLD_OPTIONS);
  x.assertAlive('fold');
  const g = geometry('fold', kernelSize, options);
  const [h, w] = asPair(outputSize);
  if ((x.ndim !== 2 && x.ndim !== 3) || x.shape.slice(-2).some((s) => s === 0)) {
    throw new RangeError(`fold(): Expected 2D or 3D (batch mode) input tensor with possibly 0 batch size and non-zero dimensions for input, but got: ${formatShape(x.shape)}`);
  }
  const [rows, length] = x.shape.slice(-2) as [number, number];
  const taps = g.kernel[0] * g.kernel[1];
  if (rows % taps !== 0) {
    throw new RangeError(`fold(): Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${rows} and kernel_size=(${g.kernel.join(', ')}).`);
  }
  const [bh, bw] = [blocks(h, g, 0), blocks(w, g, 1)];
  if (bh * bw !== length) {
    throw new RangeError(`fold(): Given output_size=(${h}, ${w}), ${geometryText(g)}, stride=(${g.stride.join(', ')}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${bh} * ${bw} = ${bh * bw}, but got input.size(2)=${length}.`);
  }
  return tidy(() => {
    const batched = x.ndim === 3 ? x : unsqueeze(x, 0);
    const n = batched.shape[0]!;
    const c = rows / taps;
    const [ph, pw] = [h + 2 * g.padding[0], w + 2 * g.padding[1]];
    const split = reshape(batched, [n, c, g.kernel[0], g.kernel[1], bh, bw]);
    const picked = reshape(permute(split, [0, 1, 2, 4, 3, 5]), [n, c, g.kernel[0] * bh, g.kernel[1] * bw]);
    const index = (p: number[]): Tensor => tensor(p, { dtype: 'int32', device: x.device });
    const byColumn = indexAdd(zeros([n, c, g.kernel[0] * bh, pw], { dtype: x.dtype, device: x.device }), 3, index(positions(g, 1, bw)), picked);
    const image = indexAdd(zeros([n, c, ph, pw], { dtype: x.dtype, device: x.device }), 2, index(positions(g, 0, bh)), byColumn);
    const cropped = narrow(narrow(image, 2, g.padding[0], h), 3, g.padding[1], w);
    return x.ndim === 3 ? cropped : squeeze(cropped, 0);
  });
}
