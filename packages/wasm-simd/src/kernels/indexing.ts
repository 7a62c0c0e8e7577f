import type { Storage, View } from '@flint/core';
import { dtypeCode } from '../codes.ts';
import type { Operand } from '../layout.ts';
import type { Runtime } from '../runtime.ts';

/** The operand with stride 0 on `axis`: the kernel adds index * axis stride itself. */
function withoutAxis(o: Operand, axis: number): Operand {
  return { ...o, strides: o.strides.map((s, d) => (d === axis ? 0 : s)) };
}

/** out[..., i, ...] = x[..., index[..., i, ...], ...] along `axis`; output has index.shape. */
export function gather(rt: Runtime, x: View, axis: number, index: View): Storage {
  const out = rt.output(index.shape, x.dtype);
  const xOp = rt.operand(x);
  const p = rt.rows(index.shape, [out.operand, rt.operand(index), withoutAxis(xOp, axis)]);
  rt.extra([x.strides[axis]! * xOp.bytes]);
  rt.k.gather(dtypeCode[x.dtype], p);
  return out.storage;
}

/** A contiguous copy of `base` with each `src` element added at the position `index` names along `axis`. */
export function scatterAdd(rt: Runtime, base: View, axis: number, index: View, src: View): Storage {
  const type = dtypeCode[base.dtype];
  const out = rt.output(base.shape, base.dtype);
  rt.k.cast(type, type, rt.rows(base.shape, [out.operand, rt.operand(base)]));
  const p = rt.rows(index.shape, [rt.operand(index), rt.operand(src), withoutAxis(out.operand, axis)]);
  rt.extra([out.operand.strides[axis]! * out.operand.bytes]);
  rt.k.scatterAdd(type, p);
  return out.storage;
}
