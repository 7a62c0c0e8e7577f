/**
 * Example inputs as torch.onnx.export takes them: one tensor, or a list of the forward's arguments
 * in which an argument may itself be a list (an LSTM's `[h0, c0]`). The graph's inputs are the
 * tensors in order; the forward is called with the same structure.
 */
import * as flint from '@flint/core';

/** One forward argument: a tensor, or a (nested) list of them. */
export type ExampleInput = flint.Tensor | readonly ExampleInput[];
/** The forward's arguments: one tensor, or a list of arguments. */
export type ExampleInputs = flint.Tensor | readonly ExampleInput[];

/** The tensors of `example`, depth first. */
export function flattenInputs(example: ExampleInputs): flint.Tensor[] {
  if (example instanceof flint.Tensor) return [example];
  if (!Array.isArray(example)) throw new TypeError(`onnx.export(): example inputs must be a Tensor or a list of them, not ${example === null ? 'null' : typeof example}`);
  return example.flatMap((x) => flattenInputs(x));
}

/** The forward's arguments: `example`'s structure with `flat`'s tensors in place of its own. */
export function argumentsLike(example: ExampleInputs, flat: readonly flint.Tensor[]): unknown[] {
  let next = 0;
  const rebuild = (x: ExampleInput): unknown => (x instanceof flint.Tensor ? flat[next++] : x.map(rebuild));
  return example instanceof flint.Tensor ? [rebuild(example)] : example.map(rebuild);
}
