import type { Tensor } from '../tensor/tensor.ts';
import type { Generator } from '../random/generator.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { add, div, mul, sub } from './elementwise.ts';
import { lt } from './compare.ts';
import { rand, randLike } from './creation.ts';
import { castTo } from './cast.ts';
import { alias } from './view.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { traced } from '../trace/state.ts';

export interface DropoutOptions {
  /** Applies dropout only when true (default), as `training` in torch.nn.functional.dropout. */
  training?: boolean;
  generator?: Generator;
}

const DROPOUT_OPTIONS: OptionKeys<DropoutOptions> = { training: true, generator: true };

/** Zeroes each element with probability `p` and scales the rest by 1 / (1 - p). */
export function dropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  return traced('dropout', [x], { p, options }, () => {
    checkTensors('dropout', [x]);
    checkOptions('dropout', options, DROPOUT_OPTIONS);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout(): dropout probability has to be between 0 and 1, but got ${p}`);
    if (options.training === false || p === 0) return alias(x);
    if (p === 1) return mul(x, 0);
    return tidy(() => {
      const mask = noGrad(() => div(castTo(lt(randLike(x, { generator: options.generator }), 1 - p), 'float32'), 1 - p));
      return mul(x, mask);
    });
  });
}

/**
 * Zeroes whole channels: each [n, c] slice of x [N, C, ...] (or each [c] of an unbatched [C, ...]
 * when `batched` is false) with probability `p`, scaling the rest by 1 / (1 - p), as torch's
 * feature_dropout under nn.Dropout1d/2d/3d.
 */
export function featureDropout(x: Tensor, p: number, batched: boolean, options: DropoutOptions = {}): Tensor {
  checkTensors('featureDropout', [x]);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`featureDropout(): dropout probability has to be between 0 and 1, but got ${p}`);
  if (x.ndim < 2) throw new RangeError(`featureDropout(): Feature dropout requires at least 2 dimensions in the input, got ${x.ndim}`);
  if (options.training === false || p === 0) return alias(x);
  if (p === 1) return mul(x, 0);
  return tidy(() => {
    const maskShape = x.shape.map((d, i) => (i < (batched ? 2 : 1) ? d : 1));
    const draws = rand(maskShape, { generator: options.generator, device: x.device });
    const mask = noGrad(() => div(castTo(lt(draws, 1 - p), 'float32'), 1 - p));
    return mul(x, mask);
  });
}

/** -SELU's alpha times its scale: the value SELU tends to for large negative inputs. */
const SELU_SATURATION = 1.7580993408473766;

/**
 * Dropout that keeps SELU's self-normalising mean and variance, as torch.nn.functional.alpha_dropout:
 * dropped elements are set to SELU's saturation value -1.7581, then everything is scaled by a and
 * shifted by b so that mean 0 and variance 1 are kept.
 */
export function alphaDropout(x: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkTensors('alphaDropout', [x]);
  checkOptions('alphaDropout', options, DROPOUT_OPTIONS);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`alphaDropout(): dropout probability has to be between 0 and 1, but got ${p}`);
  if (options.training === false || p === 0) return alias(x);
  if (p === 1) return mul(x, 0);
  const a = 1 / Math.sqrt((SELU_SATURATION * SELU_SATURATION * p + 1) * (1 - p));
  return tidy(() => {
    const keep = noGrad(() => castTo(lt(randLike(x, { generator: options.generator }), 1 - p), 'float32'));
    // x a where kept, -alpha' a where dropped, both shifted by alpha' a p (torch's order of operations).
    const shift = noGrad(() => add(mul(sub(keep, 1), SELU_SATURATION * a), SELU_SATURATION * a * p));
    return add(mul(x, mul(keep, a)), shift);
  });
}
