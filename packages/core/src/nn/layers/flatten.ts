import type { Tensor } from '../../tensor/tensor.ts';
import { flatten } from '../../ops/view.ts';
import { unflatten } from '../../ops/shape.ts';
import { pyTuple } from '../repr.ts';
import { Module } from '../module.ts';
import { checkInteger, shown } from '../../options/check-values.ts';

/**
 * Flattens dims `startDim..endDim` into one, as torch.nn.Flatten (by default all but the batch dim).
 * @example new nn.Flatten().forward(x) // [N, C, H, W] -> [N, C*H*W]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    checkInteger('Flatten', 'start_dim', startDim);
    checkInteger('Flatten', 'end_dim', endDim);
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/**
 * Expands dim `dim` into `unflattenedSize` (one entry may be -1), as torch.nn.Unflatten.
 * @example new nn.Unflatten(1, [16, 4, 4]).forward(x) // [N, 256] -> [N, 16, 4, 4]
 */
export class Unflatten extends Module {
  readonly unflattenedSize: readonly number[];

  constructor(
    readonly dim: number,
    unflattenedSize: readonly number[],
  ) {
    checkInteger('Unflatten', 'dim', dim);
    if (!Array.isArray(unflattenedSize) || !unflattenedSize.every((s) => Number.isInteger(s) && s >= -1 && s !== 0)) {
      throw new TypeError(`Unflatten(): unflattened_size must be a list of positive integers (one may be -1), but got ${shown(unflattenedSize)}`);
    }
    super();
    this.unflattenedSize = [...unflattenedSize];
  }

  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.unflattenedSize);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
