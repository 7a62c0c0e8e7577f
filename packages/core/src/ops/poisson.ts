/**
 * Poisson samples, composed from tensor ops on the generator's host stream (so the same draws on
 * every backend, and no values read back): inversion of the CDF for small rates, Hörmann's
 * transformed rejection with squeeze (PTRS) for large ones. Every element computes both and keeps
 * its own, since which applies depends on values the host does not see.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { defaultGenerator } from '../random/generator.ts';
import { arange, rand } from './creation.ts';
import { abs, add, clamp, div, exp, floor, log, log1p, maximum, mul, neg, reciprocal, sqrt, sub, where } from './elementwise.ts';
import { ge, isfinite, le, logicalAnd, logicalNot, logicalOr, lt } from './compare.ts';
import { lgamma } from './special.ts';
import { castTo } from './cast.ts';
import { all, argmax, cumsum, sum } from './reduce.ts';
import { cumprod } from './scan.ts';
import { cat } from './join.ts';
import { gatherValid } from './indexing.ts';
import { narrow, squeeze, unsqueeze } from './view.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { type SamplingOptions, SAMPLING_OPTIONS } from './sampling.ts';
import { checkOptions } from '../options/check-options.ts';

/** Rates below this are sampled by inversion, at or above by PTRS (which needs a rate of 10 or more). */
const INVERSION_LIMIT = 10;
/** Terms of the inverted CDF: P(X >= 40) is below 1e-11 for every rate under the limit. */
const INVERSION_TERMS = 40;
/** PTRS proposals per element; each is accepted with probability above 0.85, so all fail with less than 1e-13. */
const PTRS_ROUNDS = 16;

/**
 * One draw from Poisson(`rates`) per element (float32, like `rates`), which must be finite and
 * non-negative. Seeded through `options.generator`; no gradient, as in PyTorch.
 * @example flint.poisson(flint.full([3], 4.5), { generator: flint.manualSeed(0) })
 */
export function poisson(rates: Tensor, options: SamplingOptions = {}): Tensor {
  checkTensors('poisson', [rates]);
  checkOptions('poisson', options, SAMPLING_OPTIONS);
  if (rates.dtype !== 'float32') throw new TypeError(`poisson(): expected a float32 tensor of rates, got ${rates.dtype}`);
  if (rates.backend.readSync && !tidy(() => all(logicalAnd(isfinite(rates), ge(rates, 0))).itemSync())) {
    throw new RangeError('poisson(): invalid Poisson rate, expected rate to be finite and non-negative');
  }
  const random = { device: rates.device, generator: options.generator ?? defaultGenerator };
  return noGrad(() =>
    tidy(() => {
      const small = byInversion(rates, rand(rates.shape, random));
      const large = byRejection(rates, rand([PTRS_ROUNDS, 2, ...rates.shape], random));
      return where(lt(rates, INVERSION_LIMIT), small, large);
    }),
  );
}

/** The count of CDF terms at or below `u` times their total (the terms are exp(-λ) λ^k / k!). */
function byInversion(rates: Tensor, u: Tensor): Tensor {
  const lambda = unsqueeze(clamp(rates, 0, INVERSION_LIMIT), -1);
  const k = narrow(arange(INVERSION_TERMS, { device: rates.device, dtype: 'float32' }), 0, 1, INVERSION_TERMS - 1);
  const ratios = cat([exp(neg(lambda)), div(lambda, k)], -1);
  const cdf = cumsum(cumprod(ratios, -1), -1);
  const total = narrow(cdf, -1, INVERSION_TERMS - 1, 1);
  // Scaled by the total, rounding cannot carry u past the last term.
  return castTo(sum(lt(cdf, mul(unsqueeze(u, -1), total)), -1), 'float32');
}

/**
 * Hörmann's PTRS ("The transformed rejection method for generating Poisson random variables",
 * 1993): per round a proposal k from two uniforms, accepted by a squeeze or by comparing with
 * log P(k). Each element keeps its first accepted proposal.
 */
function byRejection(rates: Tensor, uniforms: Tensor): Tensor {
  const lambda = maximum(rates, INVERSION_LIMIT);
  const slam = sqrt(lambda);
  const b = add(mul(slam, 2.53), 0.931);
  const a = add(mul(b, 0.02483), -0.059);
  const invAlpha = add(div(1.1328, sub(b, 3.4)), 1.1239);
  const vr = sub(0.9277, div(3.6224, sub(b, 2)));
  const u = sub(squeeze(narrow(uniforms, 1, 0, 1), 1), 0.5);
  const v = squeeze(narrow(uniforms, 1, 1, 1), 1);
  const us = sub(0.5, abs(u));
  const k = floor(add(mul(add(div(mul(a, 2), us), b), u), add(lambda, 0.43)));
  const squeezed = logicalAnd(ge(us, 0.07), le(v, vr));
  const rejected = logicalOr(lt(k, 0), logicalAnd(lt(us, 0.013), lt(us, v)));
  const envelope = sub(add(log(v), log(invAlpha)), log(add(div(a, mul(us, us)), b)));
  const accepted = logicalOr(squeezed, logicalAnd(logicalNot(rejected), le(envelope, logPmf(maximum(k, 0), lambda))));
  const first = argmax(castTo(accepted, 'float32'), 0, true);
  return maximum(squeeze(gatherValid(k, 0, first), 0), 0);
}

/**
 * log(exp(-λ) λ^k / k!) for λ >= 10. Written as k log1p((λ-k)/k) + (k-λ) minus Stirling's terms, its
 * rounding error is about eps |λ - k| rather than eps λ log λ (the size of the terms that cancel).
 */
function logPmf(k: Tensor, lambda: Tensor): Tensor {
  const direct = sub(sub(mul(k, log(lambda)), lambda), lgamma(add(k, 1)));
  const kk = maximum(k, 1);
  const inv = reciprocal(kk);
  const inv2 = mul(inv, inv);
  // ln k! = k ln k - k + ln(2πk)/2 + 1/(12k) - 1/(360k^3) + 1/(1260k^5) + ...
  const series = mul(inv, add(1 / 12, mul(inv2, add(-1 / 360, mul(inv2, 1 / 1260)))));
  const stirling = sub(sub(add(mul(kk, log1p(div(sub(lambda, kk), kk))), sub(kk, lambda)), mul(log(mul(kk, 2 * Math.PI)), 0.5)), series);
  return where(lt(k, INVERSION_LIMIT), direct, stirling);
}
