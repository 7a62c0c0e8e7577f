import type { Operand, View } from './types.ts';

/**
 * The view among a kernel's operands, which fixes its shape and dtype (core passes at least one
 * view to every call; the others may be scalars). For backend implementations.
 */
export function viewAmong(operands: readonly Operand[]): View {
  const view = operands.find((x): x is View => typeof x !== 'number');
  if (!view) throw new TypeError('kernel called with scalar operands only; one operand must be a view');
  return view;
}
