import type { Tensor } from '../../tensor/tensor.ts';
import { tidy } from '../../memory/scope.ts';
import { matmul } from '../../ops/linalg.ts';
import { add } from '../../ops/elementwise.ts';

/**
 * `x @ weight.T + bias`, as torch.nn.functional.linear: x [..., in], weight [out, in], bias [out].
 * @example nn.functional.linear(x, w, b) // [batch, 6] -> [batch, 4] for w [4, 6]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return tidy(() => {
    const y = matmul(x, weight.T);
    return bias ? add(y, bias) : y;
  });
}
