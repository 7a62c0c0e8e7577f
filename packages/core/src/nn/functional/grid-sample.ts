/**
 * torch.nn.functional.affine_grid and grid_sample for 2-D images. Sampling positions come from the
 * grid as tensors; the corner indices are floored (so carry no gradient) and read with gather,
 * while the bilinear weights stay functions of the grid, which gives gradients to input and grid.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { tensor } from '../../ops/creation.ts';
import { abs, add, clamp, floor, mul, round, sub, where } from '../../ops/elementwise.ts';
import { fmod } from '../../ops/division.ts';
import { eq, ge, le, logicalAnd, lt } from '../../ops/compare.ts';
import { castTo } from '../../ops/cast.ts';
import { gatherValid } from '../../ops/indexing.ts';
import { matmul } from '../../ops/linalg.ts';
import { expand, reshape, select, transpose, unsqueeze } from '../../ops/view.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export interface GridSampleOptions {
  /** How a sample combines pixels: 'bilinear' (default) or 'nearest' (ties to even). */
  mode?: 'bilinear' | 'nearest';
  /** Values read outside the image: 'zeros' (default), 'border' (clamped) or 'reflection' (mirrored). */
  paddingMode?: 'zeros' | 'border' | 'reflection';
  /** Whether -1 and 1 name the centres of the corner pixels (true) or their outer edges (false, default). */
  alignCorners?: boolean | null;
}

const GRID_SAMPLE_OPTIONS: OptionKeys<GridSampleOptions> = { mode: true, paddingMode: true, alignCorners: true };

/** -1 to 1 in `n` steps, pulled in to pixel centres unless `alignCorners`, as PyTorch's affine grid base. */
function baseCoordinates(n: number, alignCorners: boolean): number[] {
  if (n <= 1) return [0];
  return Array.from({ length: n }, (_, i) => {
    const v = -1 + (2 * i) / (n - 1);
    return alignCorners ? v : (v * (n - 1)) / n;
  });
}

/**
 * The sampling grid [N, H, W, 2] of the affine maps `theta` [N, 2, 3] for an output of `size`
 * [N, C, H, W], as torch.nn.functional.affine_grid: grid[n, i, j] = theta[n] @ (x_j, y_i, 1).
 * Only 2-D transforms (4-D sizes) are provided.
 */
export function affineGrid(theta: Tensor, size: readonly number[], alignCorners: boolean | null = false): Tensor {
  checkTensors('affineGrid', [theta]);
  if (theta.dtype !== 'float32') throw new TypeError(`affineGrid(): Expected theta to have floating point type, but got ${theta.dtype}`);
  if (size.length === 5) throw new RangeError(`affineGrid(): only 2-D affine transforms (4-D sizes) are supported, got size ${formatShape(size)}`);
  if (size.length !== 4) throw new RangeError(`affineGrid(): affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${formatShape(size)}.`);
  if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new RangeError(`affineGrid(): Expected a batch of 2D affine matrices of shape Nx2x3 for size ${formatShape(size)}. Got ${formatShape(theta.shape)}.`);
  }
  const [n, , h, w] = size as [number, number, number, number];
  if (theta.shape[0] !== n) {
    throw new RangeError(`affineGrid(): Expected size for first two dimensions of batch2 tensor to be: [${n}, 3] but got: [${theta.shape[0]}, 3].`);
  }
  const xs = baseCoordinates(w, alignCorners ?? false);
  const ys = baseCoordinates(h, alignCorners ?? false);
  const base = ys.flatMap((y) => xs.flatMap((x) => [x, y, 1]));
  return tidy(() => {
    const points = reshape(tensor(base, { dtype: 'float32', device: theta.device }), [1, h * w, 3]);
    return reshape(matmul(expand(points, [n, h * w, 3]), transpose(theta, 1, 2)), [n, h, w, 2]);
  });
}

/** `c` limited to [0, size - 1]; as PyTorch's, no gradient passes where it is limited. */
const clipCoordinates = (c: Tensor, size: number): Tensor => where(le(c, 0), 0, where(ge(c, size - 1), size - 1, c));

/** `c` mirrored into [low, high] (given doubled, as PyTorch's reflect_coordinates). */
function reflectCoordinates(c: Tensor, twiceLow: number, twiceHigh: number): Tensor {
  if (twiceLow === twiceHigh) return mul(c, 0);
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const distance = abs(sub(c, min));
  const extra = fmod(distance, span);
  const even = eq(fmod(floor(mul(distance, 1 / span)), 2), 0);
  return where(even, add(extra, min), add(sub(span, extra), min));
}

/** A normalised grid coordinate as a pixel coordinate along a dim of `size`, padding applied. */
function sourceCoordinates(g: Tensor, size: number, paddingMode: string, alignCorners: boolean): Tensor {
  const pixel = alignCorners ? mul(add(g, 1), (size - 1) / 2) : mul(sub(mul(add(g, 1), size), 1), 0.5);
  if (paddingMode === 'border') return clipCoordinates(pixel, size);
  if (paddingMode === 'reflection') {
    const reflected = alignCorners ? reflectCoordinates(pixel, 0, 2 * (size - 1)) : reflectCoordinates(pixel, -1, 2 * size - 1);
    return clipCoordinates(reflected, size);
  }
  return pixel;
}

/**
 * The pixels of `flat` [N, C, H * W] at integer-valued coordinates (cx, cy) [N, Ho, Wo], zero where
 * they fall outside the image: [N, C, Ho, Wo].
 */
function readPixels(flat: Tensor, cx: Tensor, cy: Tensor, h: number, w: number): Tensor {
  const [n, c] = flat.shape as [number, number];
  const [ho, wo] = cx.shape.slice(1) as [number, number];
  const inside = logicalAnd(logicalAnd(ge(cx, 0), lt(cx, w)), logicalAnd(ge(cy, 0), lt(cy, h)));
  const at = castTo(add(mul(clamp(cy, 0, h - 1), w), clamp(cx, 0, w - 1)), 'int32');
  const index = expand(reshape(at, [n, 1, ho * wo]), [n, c, ho * wo]);
  const values = reshape(gatherValid(flat, 2, index), [n, c, ho, wo]);
  return where(unsqueeze(inside, 1), values, 0);
}

const gridModes = ['bilinear', 'nearest'];
const paddingModes = ['zeros', 'border', 'reflection'];

/**
 * `x` [N, C, H, W] sampled at the normalised positions `grid` [N, Ho, Wo, 2] ((x, y) in [-1, 1]),
 * giving [N, C, Ho, Wo], as torch.nn.functional.grid_sample for 4-D input (bilinear or nearest;
 * bicubic is not provided). Bilinear sampling passes gradients to both `x` and `grid`.
 */
export function gridSample(x: Tensor, grid: Tensor, options: GridSampleOptions = {}): Tensor {
  checkTensors('gridSample', [x, grid]);
  checkOptions('gridSample', options, GRID_SAMPLE_OPTIONS);
  x.assertAlive('gridSample');
  grid.assertAlive('gridSample');
  const mode = options.mode ?? 'bilinear';
  const paddingMode = options.paddingMode ?? 'zeros';
  if (!gridModes.includes(mode)) throw new RangeError(`gridSample(): expected mode to be 'bilinear' or 'nearest', but got: '${mode}'`);
  if (!paddingModes.includes(paddingMode)) throw new RangeError(`gridSample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingMode}'`);
  if (x.ndim !== 4 || grid.ndim !== 4) {
    throw new RangeError(`gridSample(): grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  }
  if (x.shape[0] !== grid.shape[0]) {
    throw new RangeError(`gridSample(): grid_sampler(): expected grid and input to have same batch size, but got input with sizes ${formatShape(x.shape)} and grid with sizes ${formatShape(grid.shape)}`);
  }
  if (grid.shape[3] !== 2) throw new RangeError(`gridSample(): grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes ${formatShape(grid.shape)}`);
  if (x.dtype !== 'float32' || grid.dtype !== 'float32') {
    throw new TypeError(`gridSample(): grid_sampler(): expected input and grid to have float32 dtype, but input has ${x.dtype} and grid has ${grid.dtype}`);
  }
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const alignCorners = options.alignCorners ?? false;
  return tidy(() => {
    const flat = reshape(x, [n, c, h * w]);
    const ix = sourceCoordinates(select(grid, 3, 0), w, paddingMode, alignCorners);
    const iy = sourceCoordinates(select(grid, 3, 1), h, paddingMode, alignCorners);
    if (mode === 'nearest') {
      const [nx, ny] = [round(ix), round(iy)];
      // Nearest sampling's derivative in the grid is zero almost everywhere; a unit weight made from
      // the rounded coordinates gives the grid that zero gradient, as PyTorch does, instead of none.
      const unit = add(mul(add(nx, ny), 0), 1);
      return mul(readPixels(flat, nx, ny, h, w), unsqueeze(unit, 1));
    }
    const [left, top] = [floor(ix), floor(iy)];
    const [right, bottom] = [add(left, 1), add(top, 1)];
    const corners: Array<[Tensor, Tensor, Tensor]> = [
      [left, top, mul(sub(right, ix), sub(bottom, iy))],
      [right, top, mul(sub(ix, left), sub(bottom, iy))],
      [left, bottom, mul(sub(right, ix), sub(iy, top))],
      [right, bottom, mul(sub(ix, left), sub(iy, top))],
    ];
    return corners
      .map(([cx, cy, weight]) => mul(readPixels(flat, cx, cy, h, w), unsqueeze(weight, 1)))
      .reduce((sum, term) => add(sum, term));
  });
}
