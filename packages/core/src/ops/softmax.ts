/** softmax and logSoftmax with their closed-form gradients. */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim } from '../tensor/shape.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { record } from './kernel.ts';
import { div, exp, log, mul, sub } from './elementwise.ts';
import { amax, sum } from './reduce.ts';
import { detach } from './view.ts';

function assertFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32') throw new TypeError(`${op}(): expected a float32 tensor, got ${x.dtype}`);
}

/** exp(x) / sum(exp(x)) along `dim`, shifted by the maximum for stability. */
export function softmax(x: Tensor, dim: number): Tensor {
  assertFloat('softmax', x);
  const d = normalizeDim('softmax', dim, x.ndim);
  const out = tidy(() =>
    noGrad(() => {
      const e = exp(sub(x, amax(detach(x), d, true)));
      return div(e, sum(e, d, true));
    }),
  );
  // d softmax: y * (g - sum(g * y))
  return record('SoftmaxBackward', out, [x], [out], (g) => [mul(out, sub(g, sum(mul(g, out), d, true)))]);
}

/** x - logsumexp(x) along `dim`. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  assertFloat('logSoftmax', x);
  const d = normalizeDim('logSoftmax', dim, x.ndim);
  // x - max - log(sum(exp(x - max))): a row of -inf gives NaN, as in PyTorch.
  const out = tidy(() =>
    noGrad(() => {
      const shifted = sub(x, amax(detach(x), d, true));
      return sub(shifted, log(sum(exp(shifted), d, true)));
    }),
  );
  // d logSoftmax: g - softmax * sum(g)
  return record('LogSoftmaxBackward', out, [x], [out], (g) => [sub(g, mul(exp(out), sum(g, d, true)))]);
}
