/** Adam (torch.optim.Adam): weight decay as an L2 penalty added to the gradient. */
import type { Params } from './optimizer.ts';
import { AdamFamily, type AdamOptions } from './adam-family.ts';

/**
 * Adam as in PyTorch, with bias-corrected moments; `lr` defaults to 1e-3.
 * @example const opt = new flint.optim.Adam(params, { lr: 1e-3, betas: [0.9, 0.999] });
 */
export class Adam extends AdamFamily {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options);
  }

  protected readonly decoupled = false;
}
