/** Reversing the order of elements along dims. */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDims } from '../tensor/shape.ts';
import { arange } from './creation.ts';
import { gatherValid } from './indexing.ts';
import { clone, expand, reshape } from './view.ts';
import { tidy } from '../memory/scope.ts';

/**
 * A copy of `x` with the order of its elements reversed along each of `dims`, as torch.flip
 * (views cannot have negative strides). Differentiable: the gradient is flipped back.
 * @example flint.tensor([[1, 2], [3, 4]]).flip(1) // [[2, 1], [4, 3]]
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const normalized = normalizeDims('flip', dims, x.ndim);
  return tidy(() => {
    let out = x;
    for (const d of normalized) {
      const n = x.shape[d]!;
      if (n <= 1) continue;
      // A gather index that counts down along d and repeats across the other dims.
      const reversed = arange(n - 1, -1, -1, { dtype: 'int32', device: x.device });
      out = gatherValid(out, d, expand(reshape(reversed, x.shape.map((_, i) => (i === d ? n : 1))), x.shape));
    }
    return out === x ? clone(x) : out;
  });
}
