/**
 * Adaptive max pooling: each output cell takes the max of PyTorch's adaptive window
 * [floor(i * size / out), ceil((i + 1) * size / out)). The windows are gathered with indexSelect
 * (a short window repeats its last position, which leaves its max unchanged) and reduced with
 * maxDim, so the gradient goes to the first maximum of each window, as in PyTorch.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { arange, tensor } from './creation.ts';
import { indexSelect, gather } from './indexing.ts';
import { maxDim } from './reduce.ts';
import { permute, reshape, squeeze, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';

/** The positions of each adaptive window of `size` into `out` cells, padded to the longest: [out, longest]. */
function windows(size: number, out: number): { positions: number[]; longest: number } {
  const bounds = Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)] as const);
  const longest = Math.max(...bounds.map(([start, end]) => end - start));
  const positions = bounds.flatMap(([start, end]) => Array.from({ length: longest }, (_, k) => Math.min(start + k, end - 1)));
  return { positions, longest };
}

/** The values of x [N, C, H, W] in every window, as [N, C, outH, outW, window cells]. */
function windowed(x: Tensor, out: readonly [number, number]): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const rows = windows(h, out[0]);
  const cols = windows(w, out[1]);
  const int32 = (v: number[]) => tensor(v, { dtype: 'int32', device: x.device });
  const byRows = reshape(indexSelect(x, 2, int32(rows.positions)), [n, c, out[0], rows.longest, w]);
  const both = reshape(indexSelect(byRows, 4, int32(cols.positions)), [n, c, out[0], rows.longest, out[1], cols.longest]);
  return reshape(permute(both, [0, 1, 2, 4, 3, 5]), [n, c, out[0], out[1], rows.longest * cols.longest]);
}

/**
 * Max pooling of x [N, C, H, W] or [C, H, W] to `outputSize` (null keeps that dim), as
 * torch.nn.functional.adaptive_max_pool2d; with `returnIndices` also each max's flat position in
 * its [H, W] plane (int32).
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor;
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null], returnIndices: true): { values: Tensor; indices: Tensor };
export function adaptiveMaxPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null], returnIndices = false): Tensor | { values: Tensor; indices: Tensor } {
  const op = 'adaptive_max_pool2d';
  checkTensors(op, [x]);
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`${op}(): Expected 3D or 4D tensor, but got: ${formatShape(x.shape)}`);
  const [h, w] = [x.shape.at(-2)!, x.shape.at(-1)!];
  const requested = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const out = [requested[0] ?? h, requested[1] ?? w] as [number, number];
  if (!out.every((s) => Number.isInteger(s) && s >= 1)) throw new RangeError(`${op}(): output size must be positive integers, got ${JSON.stringify(outputSize)}`);
  if (h === 0 || w === 0) throw new RangeError(`${op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(x.shape)}`);
  const result = tidy(() => {
    const x4 = x.ndim === 3 ? unsqueeze(x, 0) : x;
    const { values, indices: cell } = maxDim(windowed(x4, out), -1, true);
    const positions = windowed(arange(h * w, { device: x.device }).reshape([1, 1, h, w]), out);
    const indices = gather(positions.expand([x4.shape[0]!, x4.shape[1]!, ...positions.shape.slice(2)]), 4, cell);
    // The window dim goes, and with an unbatched input the batch dim too.
    const drop = (t: Tensor): Tensor => (x.ndim === 3 ? squeeze(squeeze(t, -1), 0) : squeeze(t, -1));
    return { values: drop(values), indices: drop(indices) };
  });
  if (returnIndices) return result;
  result.indices.dispose();
  return result.values;
}
