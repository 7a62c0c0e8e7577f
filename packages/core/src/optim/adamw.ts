/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay. */
import type { Params } from './optimizer.ts';
import { AdamFamily, type AdamOptions } from './adam-family.ts';

/** AdamW takes Adam's options; its `weightDecay` defaults to 0.01. */
export type AdamWOptions = AdamOptions;

/**
 * AdamW as in PyTorch: before each Adam step the parameter shrinks by `lr * weightDecay`, instead
 * of the decay passing through the moments.
 * @example const opt = new flint.optim.AdamW(params, { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdamFamily {
  constructor(params: Params<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options);
  }

  protected readonly decoupled = true;
}
