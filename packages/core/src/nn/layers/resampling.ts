/** The resampling functions of nn.functional as modules: Upsample, PixelShuffle, PixelUnshuffle, Unfold, Fold. */
import type { Tensor } from '../../tensor/tensor.ts';
import { interpolate, pixelShuffle, pixelUnshuffle, type InterpolateMode, type InterpolateOptions, INTERPOLATE_OPTIONS } from '../functional/interpolate.ts';
import { fold, unfold, type FoldOptions, FOLD_OPTIONS } from '../functional/fold.ts';
import type { Pair } from '../../ops/conv.ts';
import { Module } from '../module.ts';
import { py, pyFloat, pyTuple } from '../repr.ts';
import { checkOptions } from '../../options/check-options.ts';
import { checkWindow } from './window-checks.ts';
import { checkInteger, checkOptionValues, checkSizes, shown } from '../../options/check-values.ts';
import { checkChoice } from '../../options/check-choice.ts';

/** Every interpolation mode (a record, so that the compiler rejects one missing from it). */
const MODES: Readonly<Record<InterpolateMode, true>> = { nearest: true, 'nearest-exact': true, linear: true, bilinear: true, bicubic: true, trilinear: true };

/** Throws under Upsample unless `value` is one `what` or a non-empty list of them, one per spatial dim. */
function checkPerDim(name: string, value: unknown, ok: (v: number) => boolean, what: string): void {
  const list = typeof value === 'number' ? [value] : value;
  if (Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === 'number' && ok(v))) return;
  throw new TypeError(`Upsample(): ${name} must be a ${what} or a list of them, one per spatial dim, but got ${shown(value)}`);
}

/** The options of {@link interpolate}; the mode defaults to 'nearest'. */
export type UpsampleOptions = InterpolateOptions;

/**
 * Upsamples with {@link interpolate}, as torch.nn.Upsample.
 * @example new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' })
 */
export class Upsample extends Module {
  constructor(readonly options: UpsampleOptions = {}) {
    checkOptions('Upsample', options, INTERPOLATE_OPTIONS);
    if ((options.size === undefined) === (options.scaleFactor === undefined)) {
      throw new RangeError('Upsample(): either size or scale_factor should be defined, but not both');
    }
    if (options.size !== undefined) checkPerDim('size', options.size, (v) => Number.isInteger(v) && v >= 1, 'positive integer');
    if (options.scaleFactor !== undefined) checkPerDim('scale_factor', options.scaleFactor, (v) => v > 0 && Number.isFinite(v), 'positive number');
    if (options.mode !== undefined) checkChoice('Upsample', 'mode', options.mode, Object.keys(MODES) as InterpolateMode[]);
    checkOptionValues('Upsample', options, { alignCorners: 'boolean or null', recomputeScaleFactor: 'boolean or null' });
    super();
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, { ...this.options, mode: this.options.mode ?? 'nearest' });
  }

  override extraRepr(): string {
    const { size, scaleFactor } = this.options;
    const described =
      size !== undefined
        ? `size=${py(size)}`
        : `scale_factor=${typeof scaleFactor === 'number' ? pyFloat(scaleFactor) : pyTuple(scaleFactor!, pyFloat)}`;
    return `${described}, mode=${this.options.mode ?? 'nearest'}`;
  }
}

/** Rearranges [*, C r², H, W] into [*, C, H r, W r], as torch.nn.PixelShuffle. */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    checkInteger('PixelShuffle', 'upscale_factor', upscaleFactor, 1);
    super();
  }

  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }

  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/** The inverse of {@link PixelShuffle}, as torch.nn.PixelUnshuffle. */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    checkInteger('PixelUnshuffle', 'downscale_factor', downscaleFactor, 1);
    super();
  }

  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

/** `kernel_size=…, dilation=…, padding=…, stride=…` with PyTorch's defaults, as Unfold and Fold print them. */
function foldRepr(kernelSize: Pair, options: FoldOptions): string {
  return `kernel_size=${py(kernelSize)}, dilation=${py(options.dilation ?? 1)}, padding=${py(options.padding ?? 0)}, stride=${py(options.stride ?? 1)}`;
}

/** Extracts sliding blocks (im2col) with {@link unfold}, as torch.nn.Unfold. */
export class Unfold extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: FoldOptions = {},
  ) {
    checkOptions('Unfold', options, FOLD_OPTIONS);
    checkWindow('Unfold', 2, kernelSize, options);
    super();
  }

  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return foldRepr(this.kernelSize, this.options);
  }
}

/** Sums sliding blocks back into an image (col2im) with {@link fold}, as torch.nn.Fold. */
export class Fold extends Module {
  constructor(
    readonly outputSize: Pair,
    readonly kernelSize: Pair,
    readonly options: FoldOptions = {},
  ) {
    checkOptions('Fold', options, FOLD_OPTIONS);
    checkSizes('Fold', 'output_size', outputSize, 2, 1);
    checkWindow('Fold', 2, kernelSize, options);
    super();
  }

  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}, ${foldRepr(this.kernelSize, this.options)}`;
  }
}
