/** Comparisons and logic: bool results, no gradient. */
import type { CompareOp, UnaryOp } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { promoteTypes, scalarDType } from '../tensor/dtype.ts';
import { backendOf, wrap } from './kernel.ts';
import { asOperands, broadcastOperands } from './broadcast.ts';
import { NO_ATTRS, traced } from '../trace/state.ts';

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  return traced(op, [a, b], NO_ATTRS, () => {
    const backend = backendOf(op, a, b);
    const da = a instanceof Tensor ? a.dtype : undefined;
    const db = b instanceof Tensor ? b.dtype : undefined;
    const dtype = da && db ? promoteTypes(da, db) : da ? scalarDType(b as number, da) : scalarDType(a as number, db!);
    const shape = broadcastOperands(op, [a, b]);
    const { operands, temps } = asOperands(dtype, shape, [a, b]);
    const storage = backend.binary(op, operands[0]!, operands[1]!);
    for (const t of temps) t.dispose();
    return wrap(backend, storage, shape, 'bool');
  });
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => compare('logicalAnd', a, b);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => compare('logicalOr', a, b);

function predicate(op: UnaryOp, x: Tensor): Tensor {
  return traced(op, [x], NO_ATTRS, () => {
    const backend = backendOf(op, x);
    return wrap(backend, backend.unary(op, x.layout), x.shape, 'bool');
  });
}

export const logicalNot = (x: Tensor): Tensor => predicate('logicalNot', x);
export const isnan = (x: Tensor): Tensor => predicate('isnan', x);
export const isfinite = (x: Tensor): Tensor => predicate('isfinite', x);
