import type { Tensor } from '../../tensor/tensor.ts';
import { conv2d, pair, type Conv2dOptions, type Pair } from '../../ops/conv.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { pyTuple } from '../repr.ts';
import { parameter, resetLinearLike } from './factory.ts';

export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
}

/**
 * 2-D convolution over x [N, inChannels, H, W], as torch.nn.Conv2d: weight
 * [outChannels, inChannels / groups, kH, kW] and bias [outChannels], initialised like PyTorch's.
 * @example new nn.Conv2d(1, 8, 3, { stride: 1, padding: 1 }) // keeps H and W
 */
export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super();
    this.kernelSize = pair('Conv2d', 'kernel_size', kernelSize, 1);
    this.stride = pair('Conv2d', 'stride', options.stride ?? 1, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair('Conv2d', 'padding', padding, 0);
    this.dilation = pair('Conv2d', 'dilation', options.dilation ?? 1, 1);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1) throw new RangeError('Conv2d(): groups must be a positive integer');
    if (inChannels % this.groups !== 0) throw new RangeError('Conv2d(): in_channels must be divisible by groups');
    if (outChannels % this.groups !== 0) throw new RangeError('Conv2d(): out_channels must be divisible by groups');
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) throw new RangeError("Conv2d(): padding='same' is not supported for strided convolutions");
    this.weight = parameter([outChannels, inChannels / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : parameter([outChannels]);
    this.resetParameters();
  }

  /** Draws the default initialisation again. */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`];
    const padding = this.padding;
    if (typeof padding === 'string') parts.push(`padding=${padding}`);
    else if (padding[0] !== 0 || padding[1] !== 0) parts.push(`padding=${pyTuple(padding)}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation=${pyTuple(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push('bias=False');
    return parts.join(', ');
  }
}
