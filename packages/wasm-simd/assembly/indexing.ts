// Gather and scatter-add along one axis. The host passes the indexed operand with stride 0 on the
// axis; the index value times the axis byte stride (extra parameter 0) is added per element.
import { F32, I32 } from './codes';
import { at, begin, extra, next, rowCount, rowLen, step } from './iter';

function gatherLoop<T>(p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const si = step(p, 1);
  const sx = step(p, 2);
  const axis = extra(p, 0);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let idx = at(p, 1);
    let x = at(p, 2);
    for (let i = 0; i < n; i++, o += so, idx += si, x += sx) store<T>(o, load<T>(x + load<i32>(idx) * axis));
    next(p);
  }
}

/** out = x[index] along an axis: operands [out, index, x]. */
export function gather(dtype: i32, p: usize): void {
  // float32 travels as its 32-bit pattern.
  if (dtype == F32 || dtype == I32) gatherLoop<i32>(p);
  else gatherLoop<u8>(p);
}

function scatterAddLoop<T>(p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const si = step(p, 0);
  const ss = step(p, 1);
  const so = step(p, 2);
  const axis = extra(p, 0);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let idx = at(p, 0);
    let s = at(p, 1);
    let o = at(p, 2);
    for (let i = 0; i < n; i++, idx += si, s += ss, o += so) {
      const q = o + load<i32>(idx) * axis;
      store<T>(q, load<T>(q) + load<T>(s));
    }
    next(p);
  }
}

/** out[index] += src along an axis: operands [index, src, out]; repeated indices accumulate. */
export function scatterAdd(dtype: i32, p: usize): void {
  if (dtype == F32) scatterAddLoop<f32>(p);
  else if (dtype == I32) scatterAddLoop<i32>(p);
  else scatterAddLoop<u8>(p);
}
