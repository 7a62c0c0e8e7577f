import { contiguousStrides, numel, viewAmong, type AnyTypedArray, type BinaryOp, type CompareOp, type DType, type Operand, type UnaryOp, type View } from '@flint/core';
import { erf, erfc, gelu, geluTanh, ipow, roundHalfEven, sigmoid, sign, softplus } from '../math.ts';
import { dataOf, newArray } from '../storage.ts';
import { RowIter } from '../strided.ts';
import { contiguous, gatherInto } from './copy.ts';
import { operandView } from '../operand.ts';

type PredicateOp = Extract<UnaryOp, 'isnan' | 'isfinite' | 'logicalNot'>;
type MapOp = Exclude<UnaryOp, PredicateOp>;

const COMPARE_OPS: ReadonlySet<BinaryOp> = new Set<CompareOp>([
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr',
]);

/** `op` applied to every element of `x`, row-major. */
export function unary(op: UnaryOp, x: View): AnyTypedArray {
  if (op === 'isnan' || op === 'isfinite' || op === 'logicalNot') return predicate(op, contiguous(x));
  const out = newArray(x.dtype, numel(x.shape));
  gatherInto(x, out);
  mapInPlace(op, out);
  return out;
}

function predicate(op: PredicateOp, src: AnyTypedArray): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n);
  switch (op) {
    case 'isnan': for (let i = 0; i < n; i++) out[i] = src[i] !== src[i] ? 1 : 0; break;
    // x - x is 0 for finite x and NaN for NaN or ±Infinity.
    case 'isfinite': for (let i = 0; i < n; i++) out[i] = src[i] - src[i] === 0 ? 1 : 0; break;
    case 'logicalNot': for (let i = 0; i < n; i++) out[i] = src[i] === 0 ? 1 : 0; break;
  }
  return out;
}

/**
 * One specialised loop per op over a contiguous array: the switch runs once per call, and each
 * loop body is inline arithmetic or a direct (inlinable) call, never a call through a table.
 * Float math runs in float64 and rounds once on store; int32 stores wrap.
 */
function mapInPlace(op: MapOp, o: AnyTypedArray): void {
  const n = o.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) o[i] = -o[i]; return;
    case 'abs': for (let i = 0; i < n; i++) o[i] = Math.abs(o[i]); return;
    case 'sign': for (let i = 0; i < n; i++) o[i] = sign(o[i]); return;
    case 'exp': for (let i = 0; i < n; i++) o[i] = Math.exp(o[i]); return;
    case 'log': for (let i = 0; i < n; i++) o[i] = Math.log(o[i]); return;
    case 'log1p': for (let i = 0; i < n; i++) o[i] = Math.log1p(o[i]); return;
    case 'sqrt': for (let i = 0; i < n; i++) o[i] = Math.sqrt(o[i]); return;
    case 'rsqrt': for (let i = 0; i < n; i++) o[i] = 1 / Math.sqrt(o[i]); return;
    case 'reciprocal': for (let i = 0; i < n; i++) o[i] = 1 / o[i]; return;
    case 'sin': for (let i = 0; i < n; i++) o[i] = Math.sin(o[i]); return;
    case 'cos': for (let i = 0; i < n; i++) o[i] = Math.cos(o[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) o[i] = Math.tanh(o[i]); return;
    case 'sigmoid': for (let i = 0; i < n; i++) o[i] = sigmoid(o[i]); return;
    // `<= 0` is false for NaN, so NaN passes through as in torch.
    case 'relu': for (let i = 0; i < n; i++) o[i] = o[i] <= 0 ? 0 : o[i]; return;
    case 'erf': for (let i = 0; i < n; i++) o[i] = erf(o[i]); return;
    case 'erfc': for (let i = 0; i < n; i++) o[i] = erfc(o[i]); return;
    case 'softplus': for (let i = 0; i < n; i++) o[i] = softplus(o[i]); return;
    case 'floor': for (let i = 0; i < n; i++) o[i] = Math.floor(o[i]); return;
    case 'ceil': for (let i = 0; i < n; i++) o[i] = Math.ceil(o[i]); return;
    case 'round': for (let i = 0; i < n; i++) o[i] = roundHalfEven(o[i]); return;
    case 'gelu': for (let i = 0; i < n; i++) o[i] = gelu(o[i]); return;
    case 'geluTanh': for (let i = 0; i < n; i++) o[i] = geluTanh(o[i]); return;
    case 'silu': for (let i = 0; i < n; i++) o[i] = o[i] * sigmoid(o[i]); return;
  }
}

/**
 * `a op b` elementwise over same-shaped (possibly broadcast) views, into a fresh array, or into the
 * window `into` (which may be one of the operands' own views) when given.
 */
export function binary(op: BinaryOp, a0: Operand, b0: Operand, into?: View): AnyTypedArray {
  const like = viewAmong([a0, b0]);
  const a = operandView(a0, like);
  const b = operandView(b0, like);
  const out = into ? dataOf(into) : newArray(COMPARE_OPS.has(op) ? 'bool' : a.dtype, numel(a.shape));
  const A = dataOf(a);
  const B = dataOf(b);
  const int = a.dtype === 'int32';
  const it = new RowIter(a.shape, [a.strides, b.strides, into ? into.strides : contiguousStrides(a.shape)], [a.offset, b.offset, into ? into.offset : 0], true);
  const n = it.len;
  const [sa, sb, so] = it.step;
  for (let r = 0; r < it.rows; r++, it.next()) binaryRow(op, int, A, it.at[0], sa, B, it.at[1], sb, out, it.at[2], so, n);
  return out;
}

/**
 * One innermost row of a binary op; the switch runs per row, the loops are specialised. Int32 results
 * wrap on store; mul and pow need integer algorithms because float64 products lose low bits, and
 * int32 div truncates toward zero through the store's ToInt32.
 */
function binaryRow(
  op: BinaryOp, int: boolean,
  A: AnyTypedArray, ia: number, sa: number,
  B: AnyTypedArray, ib: number, sb: number,
  O: AnyTypedArray, o: number, so: number, n: number,
): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] + B[ib]; return;
    case 'sub': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] - B[ib]; return;
    case 'mul':
      if (int) for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = Math.imul(A[ia], B[ib]);
      else for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] * B[ib];
      return;
    case 'div': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] / B[ib]; return;
    case 'pow':
      if (int) for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = ipow(A[ia], B[ib]);
      else for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = Math.pow(A[ia], B[ib]);
      return;
    // Math.max/min return NaN when either side is NaN, like torch.maximum/minimum.
    case 'maximum': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = Math.max(A[ia], B[ib]); return;
    case 'minimum': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = Math.min(A[ia], B[ib]); return;
    case 'eq': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] === B[ib] ? 1 : 0; return;
    case 'ne': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] !== B[ib] ? 1 : 0; return;
    case 'lt': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] < B[ib] ? 1 : 0; return;
    case 'le': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] <= B[ib] ? 1 : 0; return;
    case 'gt': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] > B[ib] ? 1 : 0; return;
    case 'ge': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] >= B[ib] ? 1 : 0; return;
    // NaN !== 0, so NaN counts as true, as in torch.
    case 'logicalAnd': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] !== 0 && B[ib] !== 0 ? 1 : 0; return;
    case 'logicalOr': for (let i = 0; i < n; i++, o += so, ia += sa, ib += sb) O[o] = A[ia] !== 0 || B[ib] !== 0 ? 1 : 0; return;
  }
}

/** `cond ? a : b` elementwise; the output has a's dtype. */
export function where(cond: View, a0: Operand, b0: Operand): AnyTypedArray {
  const like = viewAmong([a0, b0]);
  const a = operandView(a0, like);
  const b = operandView(b0, like);
  const out = newArray(a.dtype, numel(a.shape));
  const C = dataOf(cond);
  const A = dataOf(a);
  const B = dataOf(b);
  const it = new RowIter(a.shape, [cond.strides, a.strides, b.strides], [cond.offset, a.offset, b.offset]);
  const n = it.len;
  const [sc, sa, sb] = it.step;
  for (let r = 0, o = 0; r < it.rows; r++, it.next()) {
    let ic = it.at[0];
    let ia = it.at[1];
    let ib = it.at[2];
    for (let i = 0; i < n; i++, ic += sc, ia += sa, ib += sb) out[o++] = C[ic] !== 0 ? A[ia] : B[ib];
  }
  return out;
}

/**
 * `x` converted to `dtype`. Typed-array stores do the numeric conversions: to int32 truncates
 * toward zero (NaN becomes 0, out-of-range values wrap modulo 2^32), to float32 rounds to nearest.
 * To bool is `!= 0`, so NaN becomes true.
 */
export function cast(x: View, dtype: DType): AnyTypedArray {
  const out = newArray(dtype, numel(x.shape));
  if (dtype !== 'bool') {
    gatherInto(x, out);
    return out;
  }
  const src = contiguous(x);
  for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  return out;
}
