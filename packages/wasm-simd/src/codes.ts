import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@flint/core';

/**
 * Numeric codes the wasm kernels take for dtypes and ops. The orders match assembly/codes.ts,
 * which numbers the same names.
 */
const UNARY_OPS: readonly UnaryOp[] = [
  'neg', 'abs', 'sign', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'tanh',
  'sigmoid', 'relu', 'erf', 'softplus', 'floor', 'ceil', 'round', 'gelu', 'geluTanh', 'silu',
  'erfc', 'isnan', 'isfinite', 'logicalNot',
];
const BINARY_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr',
];
const FOLD_OPS: readonly ReduceOp[] = ['sum', 'prod', 'max', 'min'];

function codes<T extends string>(names: readonly T[]): ReadonlyMap<T, number> {
  return new Map(names.map((name, i) => [name, i]));
}

export const unaryCode = codes(UNARY_OPS);
export const binaryCode = codes(BINARY_OPS);
export const foldCode = codes(FOLD_OPS);

/** Element types of the kernels; float64 is internal (accumulators). */
export type ElementType = DType | 'float64';
export const dtypeCode: Readonly<Record<ElementType, number>> = { float32: 0, int32: 1, bool: 2, float64: 3 };
export const elementBytes: Readonly<Record<ElementType, number>> = { float32: 4, int32: 4, bool: 1, float64: 8 };

/** Unary ops whose output is bool. */
export const PREDICATES: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['isnan', 'isfinite', 'logicalNot']);
/** Binary ops whose output is bool. */
export const COMPARISONS: ReadonlySet<BinaryOp> = new Set(BINARY_OPS.slice(BINARY_OPS.indexOf('eq')));
