/** 2-D pooling: max with indices, average as a depthwise convolution, adaptive average as two products. */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { convOutSize, conv2d, pair, type Pair } from './conv.ts';
import { div } from './elementwise.ts';
import { detach, reshape, squeeze, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { scatterAddValid } from './indexing.ts';
import { ones, tensor, zeros } from './creation.ts';
import { zeroPad } from './join.ts';
import { matmul } from './linalg.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { traced } from '../trace/state.ts';

export interface MaxPool2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

export const MAX_POOL2D_OPTIONS: OptionKeys<MaxPool2dOptions> = { stride: true, padding: true, dilation: true, ceilMode: true };

export interface AvgPool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (PyTorch's default, true). */
  countIncludePad?: boolean;
  divisorOverride?: number;
}

export const AVG_POOL2D_OPTIONS: OptionKeys<AvgPool2dOptions> = {
  stride: true, padding: true, ceilMode: true, countIncludePad: true, divisorOverride: true,
};

function assertRank(op: string, x: Tensor): void {
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`${op}(): Expected 3D or 4D (batch mode) tensor for input, got ${formatShape(x.shape)}`);
}

/** Runs `fn` on a batched view of a [C, H, W] or [N, C, H, W] input. */
function batched(op: string, x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
  assertRank(op, x);
  return tidy(() => (x.ndim === 4 ? fn(x) : squeeze(fn(unsqueeze(x, 0)), 0)));
}

function pooledSize(op: string, size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let out = convOutSize(size, k, s, p, d, ceil);
  // PyTorch drops a last window that would start inside the right padding.
  if (ceil && (out - 1) * s >= size + p) out--;
  if (out < 1) throw new RangeError(`${op}(): Given input size ${size}, the calculated output size ${out} is too small`);
  return out;
}

function maxPool4d(x4: Tensor, kernelSize: Pair, options: MaxPool2dOptions): { values: Tensor; indices: Tensor } {
  const backend = backendOf('maxPool2d', x4);
  const kernel = pair('maxPool2d', 'kernel_size', kernelSize, 1);
  const stride = pair('maxPool2d', 'stride', options.stride ?? kernel, 1);
  const padding = pair('maxPool2d', 'padding', options.padding ?? 0, 0);
  const dilation = pair('maxPool2d', 'dilation', options.dilation ?? 1, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) throw new RangeError('maxPool2d(): pad should be at most half of effective kernel size');
  const outSize = [0, 1].map((i) => pooledSize('maxPool2d', x4.shape[2 + i]!, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, options.ceilMode ?? false)) as [number, number];
  const [n, c, h, w] = x4.shape as [number, number, number, number];
  const result = backend.maxPool2d(x4.layout, { kernel, stride, padding, dilation, outSize });
  const shape = [n, c, ...outSize];
  const idx = wrap(backend, result.indices, shape, 'int32');
  const values = wrap(backend, result.values, shape, x4.dtype);
  record('MaxPool2DWithIndicesBackward', values, [x4], [idx], (g) => {
    // The kernel's own indices lie in their planes: no range check (a host read on every step).
    const grad = scatterAddValid(zeros([n, c, h * w], { device: g.device }), 2, reshape(idx, [n, c, -1]), reshape(g, [n, c, -1]));
    return [reshape(grad, [n, c, h, w])];
  });
  if (!values.gradFn) return { values, indices: idx };
  // The graph saved the indices (tidy keeps them while the graph needs them); the caller gets its own handle to dispose freely.
  return { values, indices: detach(idx) };
}

/** Max over each window plus the flat H*W index of each maximum, as torch's return_indices. */
export function maxPool2dWithIndices(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): { values: Tensor; indices: Tensor } {
  checkTensors('maxPool2dWithIndices', [x]);
  checkOptions('maxPool2dWithIndices', options, MAX_POOL2D_OPTIONS);
  assertRank('maxPool2d', x);
  return tidy(() => {
    if (x.ndim === 4) return maxPool4d(x, kernelSize, options);
    const { values, indices } = maxPool4d(unsqueeze(x, 0), kernelSize, options);
    return { values: squeeze(values, 0), indices: squeeze(indices, 0) };
  });
}

/** Max over each kernel window of x [N, C, H, W] (or [C, H, W]), as torch.nn.functional.max_pool2d. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  return traced('maxPool2d', [x], { kernelSize, options }, () => {
    checkTensors('maxPool2d', [x]);
    checkOptions('maxPool2d', options, MAX_POOL2D_OPTIONS);
    const { values, indices } = maxPool2dWithIndices(x, kernelSize, options);
    indices.dispose();
    return values;
  });
}

/**
 * Mean over each kernel window, as torch.nn.functional.avg_pool2d. Windows are summed by a
 * depthwise convolution over the input padded by `padding` (and, in ceil mode, by the overhang of
 * the last window); the divisor counts the window's cells inside the padded input, or with
 * `countIncludePad: false` inside the input itself, as PyTorch's does.
 */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  return traced('avgPool2d', [x], { kernelSize, options }, () => {
    checkTensors('avgPool2d', [x]);
    checkOptions('avgPool2d', options, AVG_POOL2D_OPTIONS);
    return batched('avgPool2d', x, (x4) => {
      backendOf('avgPool2d', x4);
      // Windows are summed by a float convolution; PyTorch has no integer average pooling either.
      if (x4.dtype !== 'float32') throw new TypeError(`avgPool2d(): expected a float32 input, got ${x4.dtype}`);
      if (x4.shape.slice(1).includes(0)) {
        throw new RangeError(`avgPool2d(): Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got: ${formatShape(x.shape)}`);
      }
      const kernel = pair('avgPool2d', 'kernel_size', kernelSize, 1);
      const stride = pair('avgPool2d', 'stride', options.stride ?? kernel, 1);
      const padding = pair('avgPool2d', 'padding', options.padding ?? 0, 0);
      if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) throw new RangeError('avgPool2d(): pad should be at most half of effective kernel size');
      const divisor = options.divisorOverride;
      if (divisor !== undefined && !Number.isInteger(divisor)) throw new TypeError(`avgPool2d(): divisor_override must be an integer, got ${divisor}`);
      if (divisor === 0) throw new RangeError('avgPool2d(): divisor must be not zero');
      const size = [x4.shape[2]!, x4.shape[3]!];
      const out = [0, 1].map((i) => pooledSize('avgPool2d', size[i]!, kernel[i]!, stride[i]!, padding[i]!, 1, options.ceilMode ?? false));
      const overhang = [0, 1].map((i) => Math.max(0, (out[i]! - 1) * stride[i]! + kernel[i]! - size[i]! - 2 * padding[i]!));
      const device = x4.device;
      const channels = x4.shape[1]!;
      const spread = (t: Tensor, inner: readonly number[], outer: readonly number[]): Tensor =>
        zeroPad(zeroPad(t, 2, inner[0]!, outer[0]!), 3, inner[1]!, outer[1]!);
      const windows = (t: Tensor, groups: number): Tensor => conv2d(t, ones([groups, 1, ...kernel], { device }), null, { stride, groups });
      const sums = windows(spread(x4, padding, padding.map((p, i) => p + overhang[i]!)), channels);
      if (divisor !== undefined) return div(sums, divisor);
      const counted = options.countIncludePad ?? true
        ? spread(ones([1, 1, size[0]! + 2 * padding[0], size[1]! + 2 * padding[1]], { device }), [0, 0], overhang)
        : spread(ones([1, 1, ...size], { device }), padding, padding.map((p, i) => p + overhang[i]!));
      return div(sums, windows(counted, 1));
    });
  });
}

/** Averaging matrix [out, size]: row i averages PyTorch's adaptive window i. */
function adaptiveMatrix(size: number, out: number, device: string): Tensor {
  const m = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return reshape(tensor(m, { device }), [out, size]);
}

/** Average pooling to a fixed output size, as torch.nn.functional.adaptive_avg_pool2d. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair | readonly [number | null, number | null]): Tensor {
  return traced('adaptiveAvgPool2d', [x], { outputSize }, () => {
    checkTensors('adaptiveAvgPool2d', [x]);
    return batched('adaptiveAvgPool2d', x, (x4) => {
      backendOf('adaptiveAvgPool2d', x4);
      const [h, w] = [x4.shape[2]!, x4.shape[3]!];
      const req = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
      const [oh, ow] = [req[0] ?? h, req[1] ?? w];
      if (!(oh >= 1 && ow >= 1)) throw new RangeError(`adaptiveAvgPool2d(): output size must be positive, got ${JSON.stringify(outputSize)}`);
      if (h % oh === 0 && w % ow === 0) return avgPool2d(x4, [h / oh, w / ow]);
      const rows = adaptiveMatrix(h, oh, x4.device);
      const cols = adaptiveMatrix(w, ow, x4.device);
      return matmul(matmul(rows, x4), cols.T);
    });
  });
}

