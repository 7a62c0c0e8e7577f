import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { withGradMode } from '../../autograd/mode.ts';
import { backendOf, record } from '../../ops/kernel.ts';
import { mm } from '../../ops/linalg.ts';
import { add } from '../../ops/elementwise.ts';
import { sum } from '../../ops/reduce.ts';
import { reshape } from '../../ops/view.ts';

/**
 * `x @ weight.T + bias`, as torch.nn.functional.linear: x [..., in], weight [out, in], bias [out].
 * One graph node (PyTorch's addmm) whose gradients come out contiguous in the parameters' own
 * layouts, so `.grad` takes them without a copy.
 * @example nn.functional.linear(x, w, b) // [batch, 6] -> [batch, 4] for w [4, 6]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  backendOf('linear', x, weight, bias);
  if (weight.ndim !== 2) throw new RangeError(`linear(): weight must be a matrix [out, in], got shape ${formatShape(weight.shape)}`);
  const [out, inFeatures] = weight.shape as [number, number];
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out)) throw new RangeError(`linear(): bias must have shape [${out}] to match weight ${formatShape(weight.shape)}, got ${formatShape(bias.shape)}`);
  if (x.ndim === 2) return linear2d(x, weight, bias ?? null);
  if (x.ndim === 0) throw new RangeError('linear(): input must have at least one dimension, got a scalar');
  return tidy(() => reshape(linear2d(reshape(x, [-1, inFeatures]), weight, bias ?? null), [...x.shape.slice(0, -1), out]));
}

function linear2d(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = withGradMode(false, () => {
    const transposed = weight.T;
    const product = mm(x, transposed);
    transposed.dispose();
    if (!bias) return product;
    const biased = add(product, bias);
    product.dispose();
    return biased;
  });
  return record(bias ? 'AddmmBackward' : 'MmBackward', y, [x, weight, bias], [x, weight], (g) => [
    x.requiresGrad ? mm(g, weight) : null,
    weight.requiresGrad ? mm(g.T, x) : null,
    bias?.requiresGrad ? sum(g, 0) : null,
  ]);
}
