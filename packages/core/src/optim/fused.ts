/** When an optimizer may hand its update to a backend's fused kernel instead of composing it. */
import type { FusedKernels } from '../backend/types.ts';
import { fusedOf } from '../backend/fused.ts';
import { needsGrad } from '../ops/kernel.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { shapeEquals } from '../tensor/shape.ts';

/**
 * The backend's fused kernel `kind`, if it has one and may update these tensors in place: all
 * float32, contiguous, of one shape, on one backend, each in its own storage (so none overlaps
 * another), with no graph to record. Otherwise undefined: the caller composes primitives.
 */
export function fusedStepFor<K extends 'sgdStep' | 'adamStep'>(kind: K, tensors: ReadonlyArray<Tensor | undefined>): Required<Pick<FusedKernels, K>> | undefined {
  const present = tensors.filter((t): t is Tensor => t !== undefined);
  const first = present[0]!;
  const fused = fusedOf(first.backend);
  if (!fused?.[kind]) return undefined;
  const storages = new Set(present.map((t) => t.ref));
  const fits =
    storages.size === present.length &&
    !needsGrad(...present) &&
    present.every((t) => !t.isDisposed && t.dtype === 'float32' && t.backend === first.backend && t.isContiguous() && shapeEquals(t.shape, first.shape));
  return fits ? (fused as Required<Pick<FusedKernels, K>>) : undefined;
}
