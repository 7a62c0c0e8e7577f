import type { Tensor } from '../tensor/tensor.ts';
import type { Generator } from '../random/generator.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { div, mul } from './elementwise.ts';
import { lt } from './compare.ts';
import { randLike } from './creation.ts';
import { castTo } from './cast.ts';
import { alias } from './view.ts';

export interface DropoutOptions {
  /** Applies dropout only when true (default), as `training` in torch.nn.functional.dropout. */
  training?: boolean;
  generator?: Generator;
}

/** Zeroes each element with probability `p` and scales the rest by 1 / (1 - p). */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout(): dropout probability has to be between 0 and 1, but got ${p}`);
  if (options.training === false || p === 0) return alias(x);
  if (p === 1) return mul(x, 0);
  return tidy(() => {
    const mask = noGrad(() => div(castTo(lt(randLike(x, { generator: options.generator }), 1 - p), 'float32'), 1 - p));
    return mul(x, mask);
  });
}
