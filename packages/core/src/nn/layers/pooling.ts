import type { Tensor } from '../../tensor/tensor.ts';
import type { Pair } from '../../ops/conv.ts';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions, MAX_POOL2D_OPTIONS, AVG_POOL2D_OPTIONS } from '../../ops/pool.ts';
import { Module } from '../module.ts';
import { py, pyTuple } from '../repr.ts';
import { adaptiveMaxPool2d } from '../../ops/adaptive-max-pool.ts';
import { maxUnpool2d, type MaxUnpool2dOptions } from '../../ops/unpool.ts';
import { AVG_POOL1D_OPTIONS, MAX_POOL1D_OPTIONS, adaptiveAvgPool1d, avgPool1d, maxPool1d, type AvgPool1dOptions, type MaxPool1dOptions } from '../../ops/pool1d.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkWindow, checkOutputSize2d } from './window-checks.ts';
import { checkBoolean, checkInteger } from '../../options/check-values.ts';

/**
 * Max over kernel windows of x [N, C, H, W] or [C, H, W], as torch.nn.MaxPool2d; the stride
 * defaults to the kernel size.
 * @example new nn.MaxPool2d(2) // halves H and W
 */
export class MaxPool2d extends Module {
  readonly stride: Pair;

  constructor(
    readonly kernelSize: Pair,
    readonly options: MaxPool2dOptions = {},
  ) {
    checkOptions('MaxPool2d', options, MAX_POOL2D_OPTIONS);
    checkWindow('MaxPool2d', 2, kernelSize, options);
    super();
    this.stride = options.stride ?? kernelSize;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { ...this.options, stride: this.stride });
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(o.padding ?? 0)}, dilation=${py(o.dilation ?? 1)}, ceil_mode=${py(o.ceilMode ?? false)}`;
  }
}

/** Mean over kernel windows, as torch.nn.AvgPool2d; the stride defaults to the kernel size. */
export class AvgPool2d extends Module {
  readonly stride: Pair;

  constructor(
    readonly kernelSize: Pair,
    readonly options: AvgPool2dOptions = {},
  ) {
    checkOptions('AvgPool2d', options, AVG_POOL2D_OPTIONS);
    checkWindow('AvgPool2d', 2, kernelSize, options);
    super();
    this.stride = options.stride ?? kernelSize;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { ...this.options, stride: this.stride });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.options.padding ?? 0)}`;
  }
}

/**
 * Average pooling to a fixed output size whatever the input size, as torch.nn.AdaptiveAvgPool2d;
 * a null size keeps that input dim.
 * @example new nn.AdaptiveAvgPool2d(1) // global average pooling
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair | readonly [number | null, number | null]) {
    checkOutputSize2d('AdaptiveAvgPool2d', outputSize);
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}

/** Max over windows along the last dim of x [N, C, L] or [C, L], as torch.nn.MaxPool1d. */
export class MaxPool1d extends Module {
  readonly stride: number;

  constructor(
    readonly kernelSize: number,
    readonly options: MaxPool1dOptions = {},
  ) {
    checkOptions('MaxPool1d', options, MAX_POOL1D_OPTIONS);
    checkWindow('MaxPool1d', 1, kernelSize, options);
    super();
    this.stride = options.stride ?? kernelSize;
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, { ...this.options, stride: this.stride });
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${py(o.ceilMode ?? false)}`;
  }
}

/** Mean over windows along the last dim, as torch.nn.AvgPool1d. */
export class AvgPool1d extends Module {
  readonly stride: number;

  constructor(
    readonly kernelSize: number,
    readonly options: AvgPool1dOptions = {},
  ) {
    checkOptions('AvgPool1d', options, AVG_POOL1D_OPTIONS);
    checkWindow('AvgPool1d', 1, kernelSize, options);
    super();
    this.stride = options.stride ?? kernelSize;
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, { ...this.options, stride: this.stride });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple([this.kernelSize])}, stride=${pyTuple([this.stride])}, padding=${pyTuple([this.options.padding ?? 0])}`;
  }
}

/** Average pooling of the last dim to a fixed size, as torch.nn.AdaptiveAvgPool1d. */
export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number) {
    checkInteger('AdaptiveAvgPool1d', 'output_size', outputSize, 1);
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

/** MaxUnpool2d's options: the output size is given to `forward` instead. */
export type MaxUnpool2dLayerOptions = Omit<MaxUnpool2dOptions, 'outputSize'>;

const MAX_UNPOOL2D_LAYER_OPTIONS: OptionKeys<MaxUnpool2dLayerOptions> = { stride: true, padding: true };

/**
 * The inverse of a max pool, as torch.nn.MaxUnpool2d: `forward(values, indices)` writes the pooled
 * values back where maxPool2dWithIndices found them, zeros elsewhere.
 */
export class MaxUnpool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Pair, options: MaxUnpool2dLayerOptions = {}) {
    checkOptions('MaxUnpool2d', options, MAX_UNPOOL2D_LAYER_OPTIONS);
    checkWindow('MaxUnpool2d', 2, kernelSize, options);
    super();
    const both = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
    this.kernelSize = both(kernelSize);
    this.stride = both(options.stride ?? kernelSize);
    this.padding = both(options.padding ?? 0);
  }

  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return maxUnpool2d(x, indices, this.kernelSize, { stride: this.stride, padding: this.padding, outputSize });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/**
 * Max pooling to a fixed output size, as torch.nn.AdaptiveMaxPool2d; with `returnIndices`,
 * `forward` gives `{ values, indices }` (each max's flat position in its plane).
 */
export class AdaptiveMaxPool2d extends Module {
  constructor(
    readonly outputSize: number | readonly [number | null, number | null],
    readonly returnIndices = false,
  ) {
    checkOutputSize2d('AdaptiveMaxPool2d', outputSize);
    checkBoolean('AdaptiveMaxPool2d', 'return_indices', returnIndices);
    super();
  }

  forward(x: Tensor): Tensor | { values: Tensor; indices: Tensor } {
    return this.returnIndices ? adaptiveMaxPool2d(x, this.outputSize, true) : adaptiveMaxPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
