/** The 1-D poolings, as their 2-D forms over a height of 1. */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { squeeze, unsqueeze } from './view.ts';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from './pool.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface Pool1dOptions {
  /** The step between windows (default: the kernel size). */
  stride?: number;
  padding?: number;
}

/** Runs a 2-D pool on x [N, C, L] or [C, L] viewed as [.., C, 1, L]. */
function asTwoD(op: string, x: Tensor, run: (x4: Tensor) => Tensor): Tensor {
  if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`${op}(): Expected 2D or 3D (batch mode) tensor for input, got ${formatShape(x.shape)}`);
  return tidy(() => squeeze(run(unsqueeze(x, -2)), -2));
}

const widthOnly = (v: number | undefined, height: number): [number, number] | undefined => (v === undefined ? undefined : [height, v]);

export interface MaxPool1dOptions extends Pool1dOptions {
  dilation?: number;
  ceilMode?: boolean;
}

export interface AvgPool1dOptions extends Pool1dOptions {
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

const POOL1D_OPTIONS: OptionKeys<Pool1dOptions> = { stride: true, padding: true };
export const MAX_POOL1D_OPTIONS: OptionKeys<MaxPool1dOptions> = { ...POOL1D_OPTIONS, dilation: true, ceilMode: true };
export const AVG_POOL1D_OPTIONS: OptionKeys<AvgPool1dOptions> = { ...POOL1D_OPTIONS, ceilMode: true, countIncludePad: true };

/** Max over windows along the last dim, as torch.nn.functional.max_pool1d. */
export function maxPool1d(x: Tensor, kernelSize: number, options: MaxPool1dOptions = {}): Tensor {
  checkTensors('maxPool1d', [x]);
  checkOptions('maxPool1d', options, MAX_POOL1D_OPTIONS);
  return asTwoD('maxPool1d', x, (x4) =>
    maxPool2d(x4, [1, kernelSize], { stride: widthOnly(options.stride ?? kernelSize, 1), padding: widthOnly(options.padding, 0), dilation: widthOnly(options.dilation, 1), ceilMode: options.ceilMode }),
  );
}

/** Mean over windows along the last dim, as torch.nn.functional.avg_pool1d. */
export function avgPool1d(x: Tensor, kernelSize: number, options: AvgPool1dOptions = {}): Tensor {
  checkTensors('avgPool1d', [x]);
  checkOptions('avgPool1d', options, AVG_POOL1D_OPTIONS);
  return asTwoD('avgPool1d', x, (x4) =>
    avgPool2d(x4, [1, kernelSize], { stride: widthOnly(options.stride ?? kernelSize, 1), padding: widthOnly(options.padding, 0), ceilMode: options.ceilMode, countIncludePad: options.countIncludePad }),
  );
}

/** Average pooling of the last dim to `outputSize`, as torch.nn.functional.adaptive_avg_pool1d. */
export function adaptiveAvgPool1d(x: Tensor, outputSize: number): Tensor {
  checkTensors('adaptiveAvgPool1d', [x]);
  return asTwoD('adaptiveAvgPool1d', x, (x4) => adaptiveAvgPool2d(x4, [1, outputSize]));
}
