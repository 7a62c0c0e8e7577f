import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import type { Parameter } from '../parameter.ts';
import { py, pyFloat, pyTuple } from '../repr.ts';
import { ones_, zeros_ } from '../init.ts';
import { groupNorm, layerNorm, localResponseNorm, rmsNorm } from '../functional/normalization.ts';
import { parameter } from './factory.ts';
import { checkOptions, type OptionKeys } from '../../options/check-options.ts';
import { checkInteger, checkOptionValues, checkSizes } from '../../options/check-values.ts';

export interface LayerNormOptions {
  /** Added to the variance (1e-5 by default). */
  eps?: number;
  /** Learn a scale and shift of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, learn the shift too (default true; false leaves `bias` null, as torch 2.1's `bias=False`). */
  bias?: boolean;
}

const LAYER_NORM_OPTIONS: OptionKeys<LayerNormOptions> = { eps: true, elementwiseAffine: true, bias: true };


/** Throws under `op` unless `shape` is a positive size or a non-empty list of them (the trailing dims normalised over). */
function checkNormalizedShape(op: string, shape: unknown): void {
  checkSizes(op, 'normalized_shape', shape, typeof shape === 'number' ? 1 : Math.max(1, (shape as unknown[] | undefined)?.length ?? 0), 1);
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
    checkOptions('LayerNorm', options, LAYER_NORM_OPTIONS);
    checkNormalizedShape('LayerNorm', normalizedShape);
    checkOptionValues('LayerNorm', options, { eps: 'number', elementwiseAffine: 'boolean', bias: 'boolean' });
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? parameter(this, this.normalizedShape, ones_) : null;
    this.bias = this.elementwiseAffine && options.bias !== false ? parameter(this, this.normalizedShape, zeros_) : null;
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

const GROUP_NORM_OPTIONS: OptionKeys<GroupNormOptions> = { eps: true, affine: true };

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
    checkOptions('GroupNorm', options, GROUP_NORM_OPTIONS);
    checkInteger('GroupNorm', 'num_groups', numGroups, 1);
    checkInteger('GroupNorm', 'num_channels', numChannels, 1);
    checkOptionValues('GroupNorm', options, { eps: 'number', affine: 'boolean' });
    super();
    if (numChannels % numGroups !== 0) throw new RangeError('GroupNorm(): num_channels must be divisible by num_groups');
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    this.weight = this.affine ? parameter(this, [numChannels], ones_) : null;
    this.bias = this.affine ? parameter(this, [numChannels], zeros_) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${py(this.affine)}`;
  }
}

export interface RMSNormOptions {
  /** Added to the mean square; null (the default) uses the float32 machine epsilon 2^-23, as torch 2.4. */
  eps?: number | null;
  /** Learn a scale of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

const RMS_NORM_LAYER_OPTIONS: OptionKeys<RMSNormOptions> = { eps: true, elementwiseAffine: true };

/**
 * Root-mean-square normalisation over the trailing dims `normalizedShape`, as torch.nn.RMSNorm
 * (torch 2.4): x / sqrt(mean(x^2) + eps) * weight, with no centring and no shift.
 * @example new nn.RMSNorm(512) // over the last dim of [batch, seq, 512]
 */
export class RMSNorm extends Module {
  weight: Parameter | null;
  readonly normalizedShape: readonly number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: RMSNormOptions = {}) {
    checkOptions('RMSNorm', options, RMS_NORM_LAYER_OPTIONS);
    checkNormalizedShape('RMSNorm', normalizedShape);
    checkOptionValues('RMSNorm', options, { eps: 'number or null', elementwiseAffine: 'boolean' });
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? null;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? parameter(this, this.normalizedShape, ones_) : null;
  }

  forward(x: Tensor): Tensor {
    return rmsNorm(x, this.normalizedShape, { weight: this.weight, eps: this.eps });
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${this.eps === null ? 'None' : pyFloat(this.eps)}, elementwise_affine=${py(this.elementwiseAffine)}`;
  }
}

export interface LocalResponseNormLayerOptions {
  /** Scale of the windowed mean of squares (1e-4 by default). */
  alpha?: number;
  /** Exponent (0.75 by default). */
  beta?: number;
  /** Additive constant (1 by default). */
  k?: number;
}

const LOCAL_RESPONSE_NORM_LAYER_OPTIONS: OptionKeys<LocalResponseNormLayerOptions> = { alpha: true, beta: true, k: true };

/**
 * Normalises each channel of x [N, C, ...] by the energy of its `size` neighbouring channels, as
 * torch.nn.LocalResponseNorm (AlexNet's).
 */
export class LocalResponseNorm extends Module {
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(
    readonly size: number,
    options: LocalResponseNormLayerOptions = {},
  ) {
    checkOptions('LocalResponseNorm', options, LOCAL_RESPONSE_NORM_LAYER_OPTIONS);
    checkInteger('LocalResponseNorm', 'size', size, 1);
    checkOptionValues('LocalResponseNorm', options, { alpha: 'number', beta: 'number', k: 'number' });
    super();
    this.alpha = options.alpha ?? 1e-4;
    this.beta = options.beta ?? 0.75;
    this.k = options.k ?? 1;
  }

  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, { alpha: this.alpha, beta: this.beta, k: this.k });
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}
