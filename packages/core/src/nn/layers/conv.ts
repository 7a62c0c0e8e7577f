import type { Tensor } from '../../tensor/tensor.ts';
import { conv2d } from '../../ops/conv.ts';
import { conv1d, convTranspose1d, convTranspose2d } from '../../ops/conv-transpose.ts';
import { conv3d } from '../../ops/conv3d.ts';
import { pad, type PadMode } from '../functional/padding.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { pyTuple } from '../repr.ts';
import { parameter, resetLinearLike } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkBoolean, checkInteger, checkSizes } from '../../options/check-values.ts';

/** A size per spatial dim, or one for all of them. */
type Sizes = number | readonly number[];

export interface ConvLayerOptions {
  stride?: Sizes;
  /** Zero padding on each side (or, for a convolution, 'same' / 'valid' as in PyTorch). */
  padding?: Sizes | 'same' | 'valid';
  dilation?: Sizes;
  groups?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** How a convolution pads: with zeros (default), or by reflecting, replicating or wrapping the input. */
  paddingMode?: 'zeros' | PadMode;
}

/** Options of the transposed convolutions. */
export interface ConvTransposeLayerOptions extends Omit<ConvLayerOptions, 'padding' | 'paddingMode'> {
  padding?: Sizes;
  /** Extra size on one side of the output, to pick among the sizes a strided convolution maps to one. */
  outputPadding?: Sizes;
}

const CONV_LAYER_OPTIONS: OptionKeys<ConvLayerOptions> = { stride: true, padding: true, dilation: true, groups: true, bias: true, paddingMode: true };
const CONV_TRANSPOSE_LAYER_OPTIONS: OptionKeys<ConvTransposeLayerOptions> = { stride: true, padding: true, dilation: true, groups: true, bias: true, outputPadding: true };

/** The options of {@link Conv2d}. */
export type Conv2dLayerOptions = ConvLayerOptions;

/**
 * What the 1-D and 2-D convolutions and transposed convolutions share: their options, parameters
 * (weight [out, in / groups, ...kernel], or [in, out / groups, ...kernel] when transposed, and bias
 * [out]), PyTorch's initialisation and repr.
 */
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly paddingMode: 'zeros' | PadMode;

  protected constructor(
    name: string,
    dims: number,
    transposed: boolean,
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Sizes,
    options: ConvLayerOptions & { outputPadding?: Sizes },
  ) {
    checkOptions(name, options, transposed ? CONV_TRANSPOSE_LAYER_OPTIONS : CONV_LAYER_OPTIONS);
    checkInteger(name, 'in_channels', inChannels, 1);
    checkInteger(name, 'out_channels', outChannels, 1);
    if (options.bias !== undefined) checkBoolean(name, 'bias', options.bias);
    super();
    this.kernelSize = checkSizes(name, 'kernel_size', kernelSize, dims, 1);
    this.stride = checkSizes(name, 'stride', options.stride ?? 1, dims, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : checkSizes(name, 'padding', padding, dims, 0);
    this.outputPadding = checkSizes(name, 'output_padding', options.outputPadding ?? 0, dims, 0);
    this.dilation = checkSizes(name, 'dilation', options.dilation ?? 1, dims, 1);
    this.groups = options.groups ?? 1;
    this.paddingMode = options.paddingMode ?? 'zeros';
    checkInteger(name, 'groups', this.groups, 1);
    if (inChannels % this.groups !== 0) throw new RangeError(`${name}(): in_channels must be divisible by groups`);
    if (outChannels % this.groups !== 0) throw new RangeError(`${name}(): out_channels must be divisible by groups`);
    if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError(`${name}(): padding='same' is not supported for strided convolutions`);
    if (!['zeros', 'reflect', 'replicate', 'circular'].includes(this.paddingMode)) {
      throw new RangeError(`${name}(): padding_mode must be one of zeros, reflect, replicate, circular, but got padding_mode='${this.paddingMode}'`);
    }
    if (this.paddingMode !== 'zeros' && typeof this.padding === 'string') {
      throw new RangeError(`${name}(): padding='${this.padding}' with padding_mode='${this.paddingMode}' is not supported; give the padding as numbers`);
    }
    const [first, second] = transposed ? [inChannels, outChannels] : [outChannels, inChannels];
    this.weight = parameter(this, [first, second / this.groups, ...this.kernelSize]);
    this.bias = options.bias === false ? null : parameter(this, [outChannels]);
    this.resetParameters();
  }

  /** Draws the default initialisation again. */
  resetParameters(): void {
    resetLinearLike(this.weight, this.bias);
  }

  /** The input padded by `paddingMode` (numbers only), for a convolution then run without padding. */
  protected padded(x: Tensor): { input: Tensor; padding: readonly number[] | 'same' | 'valid' } {
    if (this.paddingMode === 'zeros' || typeof this.padding === 'string') return { input: x, padding: this.padding };
    // F.pad takes the last dim first.
    const amounts = [...this.padding].reverse().flatMap((p) => [p, p]);
    return { input: pad(x, amounts, this.paddingMode), padding: this.padding.map(() => 0) };
  }

  override extraRepr(): string {
    const parts = [`${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`];
    const padding = this.padding;
    if (typeof padding === 'string') parts.push(`padding=${padding}`);
    else if (padding.some((p) => p !== 0)) parts.push(`padding=${pyTuple(padding)}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${pyTuple(this.dilation)}`);
    if (this.outputPadding.some((p) => p !== 0)) parts.push(`output_padding=${pyTuple(this.outputPadding)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push('bias=False');
    if (this.paddingMode !== 'zeros') parts.push(`padding_mode=${this.paddingMode}`);
    return parts.join(', ');
  }
}

/**
 * 2-D convolution over x [N, inChannels, H, W] (or unbatched [inChannels, H, W]), as torch.nn.Conv2d:
 * weight [outChannels, inChannels / groups, kH, kW] and bias [outChannels], initialised like PyTorch's.
 * @example new nn.Conv2d(1, 8, 3, { stride: 1, padding: 1 }) // keeps H and W
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Sizes, options: ConvLayerOptions = {}) {
    super('Conv2d', 2, false, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    const { input, padding } = this.padded(x);
    const pair = (v: readonly number[]) => [v[0]!, v[1]!] as const;
    return conv2d(input, this.weight, this.bias, {
      stride: pair(this.stride), padding: typeof padding === 'string' ? padding : pair(padding), dilation: pair(this.dilation), groups: this.groups,
    });
  }
}

/** 1-D convolution over x [N, inChannels, L] (or [inChannels, L]), as torch.nn.Conv1d: weight [outChannels, inChannels / groups, k]. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Sizes, options: ConvLayerOptions = {}) {
    super('Conv1d', 1, false, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    const { input, padding } = this.padded(x);
    return conv1d(input, this.weight, this.bias, {
      stride: this.stride[0], padding: typeof padding === 'string' ? padding : padding[0], dilation: this.dilation[0], groups: this.groups,
    });
  }
}

/** 3-D convolution over x [N, inChannels, D, H, W] (or unbatched), as torch.nn.Conv3d: weight [outChannels, inChannels / groups, kD, kH, kW]. */
export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Sizes, options: ConvLayerOptions = {}) {
    super('Conv3d', 3, false, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    const { input, padding } = this.padded(x);
    const triple = (v: readonly number[]) => [v[0]!, v[1]!, v[2]!] as const;
    return conv3d(input, this.weight, this.bias, {
      stride: triple(this.stride), padding: typeof padding === 'string' ? padding : triple(padding), dilation: triple(this.dilation), groups: this.groups,
    });
  }
}

/**
 * Transposed 2-D convolution, as torch.nn.ConvTranspose2d: weight [inChannels, outChannels / groups, kH, kW].
 * @example new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 }) // doubles H and W
 */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Sizes, options: ConvTransposeLayerOptions = {}) {
    super('ConvTranspose2d', 2, true, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    const pair = (v: readonly number[]) => [v[0]!, v[1]!] as const;
    return convTranspose2d(x, this.weight, this.bias, {
      stride: pair(this.stride), padding: pair(this.padding as readonly number[]), outputPadding: pair(this.outputPadding),
      dilation: pair(this.dilation), groups: this.groups,
    });
  }
}

/** Transposed 1-D convolution, as torch.nn.ConvTranspose1d: weight [inChannels, outChannels / groups, k]. */
export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Sizes, options: ConvTransposeLayerOptions = {}) {
    super('ConvTranspose1d', 1, true, inChannels, outChannels, kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, {
      stride: this.stride[0], padding: (this.padding as readonly number[])[0], outputPadding: this.outputPadding[0],
      dilation: this.dilation[0], groups: this.groups,
    });
  }
}
