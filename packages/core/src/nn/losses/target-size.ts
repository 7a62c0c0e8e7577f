/** The operand check of the regression losses, with PyTorch's warning for a target of another size. */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../../tensor/shape.ts';
import { backendOf } from '../../ops/kernel.ts';

/** The call stacks already warned from. */
const warned = new Set<string>();

/**
 * Checks that `input` and `target` are live tensors on one device and warns, as PyTorch does, when
 * their sizes differ: broadcasting then silently computes something else, as a [N, 1] prediction
 * against a [N] target gives an [N, N] loss. Like Python's default warning filter it warns once
 * per place: once per call stack, so a training loop warns on its first step only.
 */
export function checkTargetSize(op: string, input: Tensor, target: Tensor): void {
  backendOf(op, input, target);
  if (shapeEquals(input.shape, target.shape)) return;
  const site = `${op}\n${new Error().stack ?? ''}`;
  if (warned.has(site)) return;
  warned.add(site);
  console.warn(
    `${op}(): Using a target size (${formatShape(target.shape)}) that is different to the input size (${formatShape(input.shape)}). ` +
      'This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.',
  );
}
