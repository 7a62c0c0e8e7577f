import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py, pyFloat, pyTuple } from '../repr.ts';
import { ones_, zeros_ } from '../init.ts';
import { groupNorm, layerNorm } from '../functional/normalization.ts';
import { parameter } from './factory.ts';

export interface LayerNormOptions {
  /** Added to the variance (1e-5 by default). */
  eps?: number;
  /** Learn a scale and shift of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalises over the trailing dims `normalizedShape`, as torch.nn.LayerNorm.
 * @example new nn.LayerNorm(512) // over the last dim of [batch, seq, 512]
 */
export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? parameter(this.normalizedShape, ones_) : null;
    this.bias = this.elementwiseAffine ? parameter(this.normalizedShape, zeros_) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions {
  /** Added to the variance (1e-5 by default). */
  eps?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
}

/** Normalises groups of channels of x [N, C, ...], as torch.nn.GroupNorm. */
export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: GroupNormOptions = {},
  ) {
    super();
    if (numChannels % numGroups !== 0) throw new RangeError('GroupNorm(): num_channels must be divisible by num_groups');
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    this.weight = this.affine ? parameter([numChannels], ones_) : null;
    this.bias = this.affine ? parameter([numChannels], zeros_) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${py(this.affine)}`;
  }
}
