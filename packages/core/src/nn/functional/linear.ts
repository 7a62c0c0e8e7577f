import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { withGradMode } from '../../autograd/mode.ts';
import { backendOf, record } from '../../ops/kernel.ts';
import { matmul, mm } from '../../ops/linalg.ts';
import { add, mul } from '../../ops/elementwise.ts';
import { sum } from '../../ops/reduce.ts';
import { permute, reshape, unsqueeze } from '../../ops/view.ts';
import { checkTensors } from '../../ops/broadcast.ts';
import { NO_ATTRS, traced } from '../../trace/state.ts';

/**
 * `x @ weight.T + bias`, as torch.nn.functional.linear: x [..., in], weight [out, in], bias [out].
 * One graph node (PyTorch's addmm) whose gradients come out contiguous in the parameters' own
 * layouts, so `.grad` takes them without a copy.
 * @example nn.functional.linear(x, w, b) // [batch, 6] -> [batch, 4] for w [4, 6]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return traced('linear', [x, weight, bias], NO_ATTRS, () => {
    backendOf('linear', x, weight, bias);
    if (weight.ndim !== 2) throw new RangeError(`linear(): weight must be a matrix [out, in], got shape ${formatShape(weight.shape)}`);
    const [out, inFeatures] = weight.shape as [number, number];
    if (bias && (bias.ndim !== 1 || bias.shape[0] !== out)) throw new RangeError(`linear(): bias must have shape [${out}] to match weight ${formatShape(weight.shape)}, got ${formatShape(bias.shape)}`);
    if (x.ndim === 2) return linear2d(x, weight, bias ?? null);
    if (x.ndim === 0) throw new RangeError('linear(): input must have at least one dimension, got a scalar');
    return tidy(() => reshape(linear2d(reshape(x, [-1, inFeatures]), weight, bias ?? null), [...x.shape.slice(0, -1), out]));
  });
}

function linear2d(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const y = withGradMode(false, () => {
    const transposed = weight.T;
    let product: Tensor;
    try {
      product = mm(x, transposed);
    } finally {
      // Also when mm throws (a wrong input width): a failed call leaves nothing behind.
      transposed.dispose();
    }
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

/**
 * `x1^T A x2 + b` for each out feature, as torch.nn.functional.bilinear: x1 [..., in1], x2 [..., in2]
 * with equal leading dims, weight [out, in1, in2], bias [out] -> [..., out].
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensors('bilinear', [x1, x2, weight]);
  if (weight.ndim !== 3) throw new RangeError(`bilinear(): weight must be three-dimensional [out, in1, in2], got shape ${formatShape(weight.shape)}`);
  if (x1.ndim !== x2.ndim) throw new RangeError(`bilinear(): input1 and input2 must have the same number of dimensions, but got ${x1.ndim} and ${x2.ndim}`);
  if (x1.ndim === 0) throw new RangeError('bilinear(): inputs must have at least one dimension, got scalars');
  for (let d = 0; d < x1.ndim - 1; d++) {
    if (x1.shape[d] !== x2.shape[d]) throw new RangeError(`bilinear(): input batch dimensions do not match at dim ${d}: got ${x1.shape[d]} and ${x2.shape[d]}`);
  }
  const [out, in1, in2] = weight.shape as [number, number, number];
  if (x1.shape.at(-1) !== in1) throw new RangeError(`bilinear(): input1 size does not match weight size: got ${x1.shape.at(-1)} but expected ${in1}`);
  if (x2.shape.at(-1) !== in2) throw new RangeError(`bilinear(): input2 size does not match weight size: got ${x2.shape.at(-1)} but expected ${in2}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out)) throw new RangeError(`bilinear(): bias size does not match weight size: got ${bias.shape[0]} but expected ${out}`);
  return tidy(() => {
    const lead = x1.shape.slice(0, -1);
    // (x1 A_o) for every o at once: x1 [B, in1] @ A as [in1, out * in2], then dotted with x2 per o.
    const mixed = reshape(matmul(reshape(x1, [-1, in1]), reshape(permute(weight, [1, 0, 2]), [in1, out * in2])), [-1, out, in2]);
    const y = sum(mul(mixed, unsqueeze(reshape(x2, [-1, in2]), 1)), 2);
    return reshape(bias ? add(y, bias) : y, [...lead, out]);
  });
}
