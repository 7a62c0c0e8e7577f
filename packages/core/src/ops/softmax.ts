/** softmax and logSoftmax with their closed-form gradients. */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim } from '../tensor/shape.ts';
import { noGrad } from '../autograd/mode.ts';
import { fusedOf } from '../backend/fused.ts';
import { tidy } from '../memory/scope.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { emptyLike } from './creation.ts';
import { div, exp, log, mul, sub } from './elementwise.ts';
import { amax, sum } from './reduce.ts';
import { detach } from './view.ts';
import { checkTensors } from './broadcast.ts';
import { traced } from '../trace/state.ts';

function assertFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32') throw new TypeError(`${op}(): expected a float32 tensor, got ${x.dtype}`);
}

/**
 * The forward values, not recorded: the backend's fused kernel where it has one, else composed
 * from primitives. Both shift by the maximum, so a line of only -inf gives NaN, as in PyTorch.
 */
function forward(op: string, x: Tensor, d: number, isLog: boolean): Tensor {
  const backend = backendOf(op, x);
  const fused = fusedOf(backend);
  if (fused?.softmax && x.ndim > 0) return wrap(backend, fused.softmax(x.layout, d, isLog), x.shape, x.dtype);
  // amax refuses empty input; PyTorch returns an empty result.
  if (x.size === 0) return emptyLike(x);
  return tidy(() =>
    noGrad(() => {
      const shifted = sub(x, amax(detach(x), d, true));
      if (isLog) return sub(shifted, log(sum(exp(shifted), d, true)));
      const e = exp(shifted);
      return div(e, sum(e, d, true));
    }),
  );
}

/** exp(x) / sum(exp(x)) along `dim`, shifted by the maximum for stability. */
export function softmax(x: Tensor, dim: number): Tensor {
  return traced('softmax', [x], { dim }, () => {
    checkTensors('softmax', [x]);
    assertFloat('softmax', x);
    const d = normalizeDim('softmax', dim, x.ndim);
    const out = forward('softmax', x, d, false);
    // d softmax: y * (g - sum(g * y))
    return record('SoftmaxBackward', out, [x], [out], (g) => [mul(out, sub(g, sum(mul(g, out), d, true)))]);
  });
}

/** x - logsumexp(x) along `dim`. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return traced('logSoftmax', [x], { dim }, () => {
    checkTensors('logSoftmax', [x]);
    assertFloat('logSoftmax', x);
    const d = normalizeDim('logSoftmax', dim, x.ndim);
    const out = forward('logSoftmax', x, d, true);
    // d logSoftmax: g - softmax * sum(g)
    return record('LogSoftmaxBackward', out, [x], [out], (g) => [sub(g, mul(exp(out), sum(g, d, true)))]);
  });
}
