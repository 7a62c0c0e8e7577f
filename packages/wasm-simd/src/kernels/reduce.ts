import { contiguousStrides, numel, type ReduceOp, type Storage, type View } from '@flint/core';
import { dtypeCode, foldCode } from '../codes.ts';
import type { Runtime } from '../runtime.ts';

const FOLD_INIT: Readonly<Record<string, number>> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** Reduces the sorted, unique `axes` of `x` away with `op`. */
export function reduce(rt: Runtime, op: ReduceOp, x: View, axes: readonly number[]): Storage {
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  if (op === 'argmax' || op === 'argmin') return argReduce(rt, op === 'argmax', x, axes[0]!, outShape);
  // A float64 accumulator addressed with x's shape and stride 0 on the reduced axes.
  const size = numel(outShape);
  const acc = rt.accumulator.get(size * 8);
  rt.k.fillF64(acc, size, FOLD_INIT[op]!);
  const outStrides = contiguousStrides(outShape);
  const accStrides: number[] = [];
  for (let d = 0, k = 0; d < x.shape.length; d++) accStrides.push(axes.includes(d) ? 0 : outStrides[k++]!);
  rt.k.fold(foldCode.get(op)!, dtypeCode[x.dtype], rt.rows(x.shape, [{ addr: acc, strides: accStrides, bytes: 8 }, rt.operand(x)]));
  const out = rt.output(outShape, x.dtype);
  rt.k.cast(dtypeCode.float64, dtypeCode[x.dtype], rt.rows(outShape, [out.operand, rt.raw(acc, outShape, 'float64')]));
  return out.storage;
}

/** Index of the first maximum (or minimum) along `axis`; the first NaN wins. */
function argReduce(rt: Runtime, isMax: boolean, x: View, axis: number, outShape: number[]): Storage {
  const out = rt.output(outShape, 'int32');
  const xOp = rt.operand(x);
  const rest = { ...xOp, strides: x.strides.filter((_, d) => d !== axis) };
  const p = rt.rows(outShape, [out.operand, rest]);
  rt.extra([x.shape[axis]!, x.strides[axis]! * xOp.bytes]);
  rt.k.argReduce(isMax ? 1 : 0, dtypeCode[x.dtype], p);
  return out.storage;
}

/** Inclusive cumulative sum along `axis`, accumulated in float64 and rounded once per output. */
export function cumsum(rt: Runtime, x: View, axis: number): Storage {
  const total = numel(x.shape);
  const acc = rt.raw(rt.accumulator.get(total * 8), x.shape, 'float64');
  rt.k.cast(dtypeCode[x.dtype], dtypeCode.float64, rt.rows(x.shape, [acc, rt.operand(x)]));
  rt.k.cumsumF64(acc.addr, total, x.shape[axis]!, numel(x.shape.slice(axis + 1)));
  const out = rt.output(x.shape, x.dtype);
  rt.k.cast(dtypeCode.float64, dtypeCode[x.dtype], rt.rows(x.shape, [out.operand, acc]));
  return out.storage;
}
