/**
 * PyTorch's `validate_args` for distribution parameters: each parameter must be a Tensor (or,
 * where taken, a number) and, unless `validateArgs: false`, lie in its constraint's support. A
 * number is checked at once; a tensor where its backend reads the verdict synchronously (cpu-js,
 * wasm-simd), since a backend that cannot (webgpu) would have to stall its queue for it.
 */
import { Tensor } from '../tensor/tensor.ts';
import { formatShape } from '../tensor/shape.ts';
import { typeName } from '../tensor/type-name.ts';
import { ge, gt, isnan, le, logicalAnd, logicalNot } from '../ops/compare.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { checkBoolean } from '../options/check-values.ts';

/** The set a parameter must lie in, by PyTorch's name for it, checked on a number and elementwise on a tensor. */
export interface Constraint {
  readonly name: string;
  holds(value: number): boolean;
  holdsAll(value: Tensor): Tensor;
}

export const real: Constraint = { name: 'Real()', holds: (v) => !Number.isNaN(v), holdsAll: (t) => logicalNot(isnan(t)) };
export const positive: Constraint = { name: 'GreaterThan(lower_bound=0.0)', holds: (v) => v > 0, holdsAll: (t) => gt(t, 0) };
export const unitInterval: Constraint = {
  name: 'Interval(lower_bound=0.0, upper_bound=1.0)',
  holds: (v) => v >= 0 && v <= 1,
  holdsAll: (t) => logicalAnd(ge(t, 0), le(t, 1)),
};
/** Categorical's unnormalised weights: each non-negative (PyTorch checks the simplex after normalising them). */
export const nonNegative: Constraint = { name: 'Simplex()', holds: (v) => v >= 0, holdsAll: (t) => ge(t, 0) };

/** The `validateArgs` option: true by default, as PyTorch's `Distribution._validate_args`. */
export function validating(dist: string, validateArgs: unknown): boolean {
  if (validateArgs === undefined) return true;
  checkBoolean(dist, 'validateArgs', validateArgs);
  return validateArgs;
}

/**
 * Throws under `dist` unless `value` is a live Tensor (or a number, where `numbers`) and, when
 * `validate`, satisfies `constraint`, in PyTorch's words: `Normal(): Expected parameter scale
 * (Tensor of shape []) of distribution Normal to satisfy the constraint GreaterThan(lower_bound=0.0),
 * but found invalid values`.
 */
export function checkParameter(dist: string, name: string, value: unknown, constraint: Constraint, validate: boolean, numbers: boolean): void {
  const fails = (): never => {
    const shape = value instanceof Tensor ? value.shape : [];
    throw new RangeError(`${dist}(): Expected parameter ${name} (Tensor of shape ${formatShape(shape)}) of distribution ${dist} to satisfy the constraint ${constraint.name}, but found invalid values`);
  };
  if (typeof value === 'number' && numbers) {
    if (validate && !constraint.holds(value)) fails();
    return;
  }
  if (!(value instanceof Tensor)) throw new TypeError(`${dist}(): ${name} must be a Tensor${numbers ? ' or a number' : ''}, but got ${typeName(value)}`);
  value.assertAlive(dist);
  if (!validate || !value.backend.readSync) return;
  if (!tidy(() => noGrad(() => constraint.holdsAll(value).all().itemSync()))) fails();
}
