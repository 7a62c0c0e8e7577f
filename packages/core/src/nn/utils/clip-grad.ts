/** Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { abs, add, clamp, div, pow } from '../../ops/elementwise.ts';
import { amax, sum } from '../../ops/reduce.ts';
import { stack } from '../../ops/join.ts';
import { zeros } from '../../ops/creation.ts';

type Params = Tensor | Iterable<Tensor>;

/** The gradients of `parameters` that exist. */
function gradsOf(parameters: Params): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

/** The p-norm of all `tensors` together: (sum |x|^p)^(1/p), or max |x| for p = Infinity. */
function totalNorm(tensors: readonly Tensor[], normType: number): Tensor {
  if (normType === Infinity) return amax(stack(tensors.map((g) => amax(abs(g)))));
  const norms = tensors.map((g) => pow(sum(pow(abs(g), normType)), 1 / normType));
  return pow(sum(pow(stack(norms), normType)), 1 / normType);
}

/**
 * Scales the gradients of `parameters` in place so that their combined `normType`-norm is at most
 * `maxNorm`; returns the norm before clipping (a tensor you dispose). Infinity is the max norm.
 * @example nn.utils.clipGradNorm_(model.parameters(), 1.0).dispose();
 */
export function clipGradNorm_(parameters: Params, maxNorm: number, normType = 2): Tensor {
  const grads = gradsOf(parameters);
  if (grads.length === 0) return zeros([]);
  return tidy(() =>
    noGrad(() => {
      const norm = totalNorm(grads, normType);
      // 1e-6 keeps a zero norm finite; the factor never scales gradients up.
      const factor = clamp(div(maxNorm, add(norm, 1e-6)), null, 1);
      for (const g of grads) g.mul_(factor);
      return norm;
    }),
  );
}

/** Clamps every gradient of `parameters` into [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Params, clipValue: number): void {
  noGrad(() => {
    for (const g of gradsOf(parameters)) g.clamp_(-clipValue, clipValue);
  });
}
