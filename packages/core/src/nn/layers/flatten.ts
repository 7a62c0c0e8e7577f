import type { Tensor } from '../../tensor/tensor.ts';
import { flatten } from '../../ops/view.ts';
import { Module } from '../module.ts';

/**
 * Flattens dims `startDim..endDim` into one, as torch.nn.Flatten (by default all but the batch dim).
 * @example new nn.Flatten().forward(x) // [N, C, H, W] -> [N, C*H*W]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
