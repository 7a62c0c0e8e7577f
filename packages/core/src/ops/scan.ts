/**
 * Cumulative products, extremes and log-sum-exps along a dim, as Hillis-Steele scans composed from
 * elementwise ops: log2(n) steps, each combining every element with the one 2^k before it. Their
 * gradients come from the composed ops (cummax/cummin gather their values at the scanned indices),
 * so a product with zeros differentiates exactly, without dividing by the input.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim } from '../tensor/shape.ts';
import { add, exp, log1p, maximum, minimum, mul, sub, where } from './elementwise.ts';
import { eq, gt, isnan, logicalAnd, logicalNot, logicalOr, lt } from './compare.ts';
import { cat } from './join.ts';
import { gatherValid } from './indexing.ts';
import { castTo } from './cast.ts';
import { arange, full } from './creation.ts';
import { clone, expand, narrow, reshape } from './view.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import type { ValuesIndices } from './reduce.ts';
import { checkTensors } from './broadcast.ts';

/** `t` shifted `by` places along `d`, the vacated front filled with `identity`. */
function shifted(t: Tensor, d: number, by: number, identity: number): Tensor {
  const front = [...t.shape];
  front[d] = by;
  return cat([full(front, identity, { dtype: t.dtype, device: t.device }), narrow(t, d, 0, t.shape[d]! - by)], d);
}

/** Inclusive scan of `x` along `d`, `combine(later, earlier)` being associative with `identity`. */
function scan(op: string, x: Tensor, dim: number, identity: number, combine: (later: Tensor, earlier: Tensor) => Tensor): Tensor {
  x.assertAlive(op);
  if (x.ndim === 0) return clone(x);
  const d = normalizeDim(op, dim, x.ndim);
  return tidy(() => {
    let y = clone(x);
    for (let by = 1; by < x.shape[d]!; by *= 2) y = combine(y, shifted(y, d, by, identity));
    return y;
  });
}

/** Running product along `dim`. */
export function cumprod(x: Tensor, dim: number): Tensor {
  checkTensors('cumprod', [x]);
  if (x.dtype === 'bool') return tidy(() => cumprod(castTo(x, 'int32'), dim));
  return scan('cumprod', x, dim, 1, mul);
}

/** log(a + b) from logs, exact where either is infinite. */
function logAddExp(a: Tensor, b: Tensor): Tensor {
  const high = maximum(a, b);
  const infinite = logicalOr(eq(high, Infinity), eq(high, -Infinity));
  const gap = where(infinite, 0, sub(minimum(a, b), high));
  return where(infinite, high, add(high, log1p(exp(gap))));
}

/** Running log(sum(exp(x))) along `dim`, without overflow. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  if (x.dtype !== 'float32') throw new TypeError(`logcumsumexp(): expected a float32 input, got ${x.dtype}`);
  return scan('logcumsumexp', x, dim, -Infinity, logAddExp);
}

/**
 * Running extreme along `dim` and the index where it was reached: the latest index on ties, and
 * NaN, once met, kept (PyTorch's rules).
 */
function cumulativeExtreme(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  checkTensors(op, [x]);
  if (x.dtype === 'bool') throw new TypeError(`${op}(): expected a float32 or int32 input, got bool`);
  if (x.ndim === 0) return { values: clone(x), indices: full([], 0, { dtype: 'int32', device: x.device }) };
  const d = normalizeDim(op, dim, x.ndim);
  const indices = noGrad(() =>
    tidy(() => {
      const line = [...x.shape].map((_, i) => (i === d ? x.shape[d]! : 1));
      let at = expand(reshape(arange(x.shape[d]!, { device: x.device }), line), x.shape);
      let best = clone(x);
      const worst = x.dtype === 'float32' ? (op === 'cummax' ? -Infinity : Infinity) : op === 'cummax' ? -2147483648 : 2147483647;
      for (let by = 1; by < x.shape[d]!; by *= 2) {
        const earlier = shifted(best, d, by, worst);
        const earlierAt = shifted(at, d, by, 0);
        const beats = op === 'cummax' ? gt(earlier, best) : lt(earlier, best);
        const keepsEarlier = x.dtype === 'float32' ? logicalAnd(logicalNot(isnan(best)), logicalOr(beats, isnan(earlier))) : beats;
        best = where(keepsEarlier, earlier, best);
        at = where(keepsEarlier, earlierAt, at);
      }
      return at;
    }),
  );
  return { values: gatherValid(x, d, indices), indices };
}

/** Running maximum along `dim`, with the index of each. */
export const cummax = (x: Tensor, dim: number): ValuesIndices => cumulativeExtreme('cummax', x, dim);
/** Running minimum along `dim`, with the index of each. */
export const cummin = (x: Tensor, dim: number): ValuesIndices => cumulativeExtreme('cummin', x, dim);
