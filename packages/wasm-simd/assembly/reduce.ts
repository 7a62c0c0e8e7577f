// Reductions. Folds walk x in its own order beside a float64 accumulator that the host addresses
// with x's shape and stride 0 on the reduced axes (operands [acc, x]), so sums and products
// accumulate in float64 like the reference backend. A row whose accumulator stride is 0 reduces
// to one value first (f64x2 lanes for contiguous float32 sums).
import { F32, I32, SUM, PROD, MAX, MIN } from './codes';
import { at, begin, extra, next, rowCount, rowLen, step } from './iter';

@inline function combine(op: i32, acc: f64, x: f64, intProd: bool): f64 {
  switch (op) {
    case SUM: return acc + x;
    // int32 products wrap exactly; float64 products of int32 values would lose low bits.
    case PROD: return intProd ? <f64>(<i32>acc * <i32>x) : acc * x;
    // Float max/min propagate NaN; over bool 0/1 they are any/all.
    case MAX: return max(acc, x);
  }
  return min(acc, x);
}

/** Sum of n contiguous float32 values in float64, two f64x2 accumulators. */
export function sumContiguousF32(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4, x += 16) {
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v128.load64_zero(x)));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.load64_zero(x, 8)));
  }
  const s = f64x2.add(s0, s1);
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++, x += 4) total += <f64>load<f32>(x);
  return total;
}

@inline function foldLoop<T>(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const sa = step(p, 0);
  const sx = step(p, 1);
  const intProd = op == PROD && isInteger<T>() && sizeof<T>() == 4;
  begin(p);
  for (let r = 0; r < rows; r++) {
    let a = at(p, 0);
    let x = at(p, 1);
    if (sa == 0) {
      let acc = load<f64>(a);
      if (op == SUM && isFloat<T>() && sx == 4) {
        acc += sumContiguousF32(x, n);
      } else {
        for (let i = 0; i < n; i++, x += sx) acc = combine(op, acc, <f64>load<T>(x), intProd);
      }
      store<f64>(a, acc);
    } else if (op == SUM && isFloat<T>() && sa == 8 && sx == 4) {
      let i = 0;
      for (; i + 2 <= n; i += 2, a += 16, x += 8) {
        v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v128.load64_zero(x))));
      }
      if (i < n) store<f64>(a, load<f64>(a) + <f64>load<f32>(x));
    } else {
      for (let i = 0; i < n; i++, a += sa, x += sx) store<f64>(a, combine(op, load<f64>(a), <f64>load<T>(x), intProd));
    }
    next(p);
  }
}

function foldOps<T>(op: i32, p: usize): void {
  switch (op) {
    case SUM: foldLoop<T>(SUM, p); break;
    case PROD: foldLoop<T>(PROD, p); break;
    case MAX: foldLoop<T>(MAX, p); break;
    case MIN: foldLoop<T>(MIN, p); break;
  }
}

/** Folds operand 1 (of `dtype`) into the float64 accumulator operand 0 with `op`. */
export function fold(op: i32, dtype: i32, p: usize): void {
  if (dtype == F32) foldOps<f32>(op, p);
  else if (dtype == I32) foldOps<i32>(op, p);
  else foldOps<u8>(op, p);
}

function argLoop<T>(isMax: bool, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  const len = extra(p, 0);
  const s = extra(p, 1);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let base = at(p, 1);
    for (let i = 0; i < n; i++, o += so, base += sx) {
      let best = load<T>(base);
      let bestK = 0;
      // The first NaN wins outright, as in torch.
      if (best == best) {
        let j = base + s;
        for (let k = 1; k < len; k++, j += s) {
          const v = load<T>(j);
          if (v != v) {
            bestK = k;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bestK = k;
          }
        }
      }
      store<i32>(o, bestK);
    }
    next(p);
  }
}

/**
 * Index of the first maximum (or minimum) along one axis: operands [out int32, x without the
 * axis]; extra parameters: axis length, axis byte stride.
 */
export function argReduce(isMax: bool, dtype: i32, p: usize): void {
  if (dtype == F32) argLoop<f32>(isMax, p);
  else if (dtype == I32) argLoop<i32>(isMax, p);
  else argLoop<u8>(isMax, p);
}

/**
 * In-place inclusive prefix sums of a contiguous float64 array seen as blocks of `len` rows of
 * `inner` values, along the rows: row k of each block adds row k - 1.
 */
export function cumsumF64(acc: usize, total: i32, len: i32, inner: i32): void {
  const block = len * inner;
  for (let b = 0; b < total; b += block) {
    for (let j = b + inner; j < b + block; j++) {
      const q = acc + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + load<f64>(q - (<usize>inner << 3)));
    }
  }
}

/** Fills n float64 slots with `value`. */
export function fillF64(acc: usize, n: i32, value: f64): void {
  for (let i = 0; i < n; i++) store<f64>(acc + (<usize>i << 3), value);
}

