// Elementwise kernels over strided operands (operand 0 is the output). Each op gets its own loop:
// the op switch runs once per call and the inlined per-element code is specialised per op and
// element type. Float math runs in float64 and rounds once on store, like the reference backend;
// float32 rows that are contiguous (or broadcast a scalar) take an f32x4 path for the ops where
// that rounds identically, and for exp, log, tanh, sigmoid, silu, softplus, erf, erfc and both
// GELUs an f32x4 approximation within a few ulps (vector-math.ts).
import {
  F32, I32, U8, F64,
  NEG, ABS, SIGN, EXP, LOG, LOG1P, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID, RELU, ERF,
  SOFTPLUS, FLOOR, CEIL, ROUND, GELU, GELU_TANH, SILU, ERFC, ISNAN, ISFINITE, LOGICAL_NOT,
  ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR,
} from './codes';
import { at, begin, next, outerDims, outerStride, rowCount, rowLen, step } from './iter';
import { erf, erfc, fromF64, gelu, geluTanh, idiv, ipow, sigmoid, softplus } from './scalar';
import {
  erf4, erfc4, exp4, gelu4, geluTanh4, log4, sigmoid4, silu4, softplus4, tanh4,
  GELU_SCALAR_BELOW, GELU_TANH_SCALAR_BELOW, SILU_SCALAR_BELOW,
} from './vector-math';

// ---- unary ---------------------------------------------------------------------------------------

@inline function unaryF64(op: i32, x: f64): f64 {
  switch (op) {
    case NEG: return -x;
    case ABS: return abs(x);
    case SIGN: return <f64>(x > 0) - <f64>(x < 0);
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case LOG1P: return Math.log1p(x);
    case SQRT: return sqrt(x);
    case RSQRT: return 1 / sqrt(x);
    case RECIPROCAL: return 1 / x;
    case SIN: return Math.sin(x);
    case COS: return Math.cos(x);
    case TANH: return Math.tanh(x);
    case SIGMOID: return sigmoid(x);
    // `<= 0` is false for NaN, so NaN passes through.
    case RELU: return x <= 0 ? 0 : x;
    case ERF: return erf(x);
    case SOFTPLUS: return softplus(x);
    case FLOOR: return floor(x);
    case CEIL: return ceil(x);
    // nearest rounds half to even, as torch.round does.
    case ROUND: return nearest(x);
    case GELU: return gelu(x);
    case GELU_TANH: return geluTanh(x);
    case SILU: return x * sigmoid(x);
    case ERFC: return erfc(x);
  }
  return x;
}

@inline function unaryValue<T>(op: i32, x: T): T {
  if (isInteger<T>()) {
    // Integer results that float64 would compute exactly, kept in wrapping integer arithmetic.
    switch (op) {
      case NEG: return <T>(0 - x);
      case ABS: return x < <T>0 ? <T>(0 - x) : x;
      case SIGN: return <T>(<i32>(x > <T>0) - <i32>(x < <T>0));
      case RELU: return x <= <T>0 ? <T>0 : x;
      case FLOOR: case CEIL: case ROUND: return x;
    }
  }
  return fromF64<T>(unaryF64(op, <f64>x));
}

/** Ops whose f32x4 form rounds exactly like float64-then-round. */
@inline function unaryVectorizes(op: i32): bool {
  return op == NEG || op == ABS || op == SQRT || op == RECIPROCAL || op == RELU || op == FLOOR ||
    op == CEIL || op == ROUND;
}

@inline function unaryVector(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    // max propagates NaN and maps -0 to +0, like `x <= 0 ? 0 : x`.
    case RELU: return f32x4.max(x, f32x4.splat(0));
    case FLOOR: return f32x4.floor(x);
    case CEIL: return f32x4.ceil(x);
    case ROUND: return f32x4.nearest(x);
  }
  return x;
}

/** Ops with an f32x4 approximation (vector-math.ts), within a few ulps rather than rounded from float64. */
@inline function unaryApproximates(op: i32): bool {
  return op == EXP || op == LOG || op == TANH || op == SIGMOID || op == SILU || op == SOFTPLUS || op == GELU_TANH ||
    op == ERF || op == ERFC || op == GELU;
}

@inline function unaryApproximation(op: i32, x: v128): v128 {
  switch (op) {
    case EXP: return exp4(x);
    case LOG: return log4(x);
    case TANH: return tanh4(x);
    case SIGMOID: return sigmoid4(x);
    case SILU: return silu4(x);
    case SOFTPLUS: return softplus4(x);
    case GELU_TANH: return geluTanh4(x);
    case ERF: return erf4(x);
    case ERFC: return erfc4(x);
    case GELU: return gelu4(x);
  }
  return x;
}

/**
 * Below this input the approximation of `op` would not compute what the float64 path does (see
 * vector-math.ts), so those elements, and only those, take the float64 path.
 */
@inline function scalarBelow(op: i32): f32 {
  if (op == GELU_TANH) return GELU_TANH_SCALAR_BELOW;
  if (op == GELU) return GELU_SCALAR_BELOW;
  return op == SILU ? SILU_SCALAR_BELOW : -Infinity;
}

/** `op` on four float32 values: the approximation, with the lanes below {@link scalarBelow} redone in float64. */
@inline function approximateLanes(op: i32, v: v128): v128 {
  let out = unaryApproximation(op, v);
  const below = scalarBelow(op);
  // `op` is a constant here, so ops without a bound skip the test at compile time.
  if (below > -Infinity && v128.any_true(f32x4.lt(v, f32x4.splat(below)))) {
    // Lane indices must be constants.
    const x0 = f32x4.extract_lane(v, 0);
    const x1 = f32x4.extract_lane(v, 1);
    const x2 = f32x4.extract_lane(v, 2);
    const x3 = f32x4.extract_lane(v, 3);
    if (x0 < below) out = f32x4.replace_lane(out, 0, unaryValue<f32>(op, x0));
    if (x1 < below) out = f32x4.replace_lane(out, 1, unaryValue<f32>(op, x1));
    if (x2 < below) out = f32x4.replace_lane(out, 2, unaryValue<f32>(op, x2));
    if (x3 < below) out = f32x4.replace_lane(out, 3, unaryValue<f32>(op, x3));
  }
  return out;
}

/**
 * Float32 lines of an approximated op, four elements at a time whatever the strides (gathered and
 * scattered when not contiguous), so that an element's result depends on its value only, never on
 * the layout or its neighbours; the tail runs as one lane of a vector.
 */
@inline function approximatedLoop(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let x = at(p, 1);
    let i = 0;
    if (so == 4 && sx == 4) {
      for (; i + 4 <= n; i += 4, o += 16, x += 16) v128.store(o, approximateLanes(op, v128.load(x)));
    } else {
      for (; i + 4 <= n; i += 4, o += 4 * so, x += 4 * sx) {
        let v = f32x4.splat(load<f32>(x));
        v = f32x4.replace_lane(v, 1, load<f32>(x + sx));
        v = f32x4.replace_lane(v, 2, load<f32>(x + 2 * sx));
        v = f32x4.replace_lane(v, 3, load<f32>(x + 3 * sx));
        const out = approximateLanes(op, v);
        store<f32>(o, f32x4.extract_lane(out, 0));
        store<f32>(o + so, f32x4.extract_lane(out, 1));
        store<f32>(o + 2 * so, f32x4.extract_lane(out, 2));
        store<f32>(o + 3 * so, f32x4.extract_lane(out, 3));
      }
    }
    for (; i < n; i++, o += so, x += sx) store<f32>(o, f32x4.extract_lane(approximateLanes(op, f32x4.splat(load<f32>(x))), 0));
    next(p);
  }
}

@inline function unaryLoop<T>(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let x = at(p, 1);
    let i = 0;
    if (isFloat<T>() && sizeof<T>() == 4 && unaryVectorizes(op) && so == 4 && sx == 4) {
      for (; i + 4 <= n; i += 4, o += 16, x += 16) v128.store(o, unaryVector(op, v128.load(x)));
    }
    for (; i < n; i++, o += so, x += sx) store<T>(o, unaryValue<T>(op, load<T>(x)));
    next(p);
  }
}

@inline function predicateValue<T>(op: i32, x: T): u8 {
  switch (op) {
    case ISNAN: return <u8>(x != x);
    // x - x is 0 for finite x and NaN for NaN or infinities.
    case ISFINITE: return <u8>(x - x == <T>0);
  }
  return <u8>(x == <T>0);
}

@inline function predicateLoop<T>(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let x = at(p, 1);
    for (let i = 0; i < n; i++, o += so, x += sx) store<u8>(o, predicateValue<T>(op, load<T>(x)));
    next(p);
  }
}

function unaryOps<T>(op: i32, p: usize): void {
  if (isFloat<T>() && sizeof<T>() == 4 && unaryApproximates(op)) {
    approximatedUnary(op, p);
    return;
  }
  switch (op) {
    case NEG: unaryLoop<T>(NEG, p); break;
    case ABS: unaryLoop<T>(ABS, p); break;
    case SIGN: unaryLoop<T>(SIGN, p); break;
    case EXP: unaryLoop<T>(EXP, p); break;
    case LOG: unaryLoop<T>(LOG, p); break;
    case LOG1P: unaryLoop<T>(LOG1P, p); break;
    case SQRT: unaryLoop<T>(SQRT, p); break;
    case RSQRT: unaryLoop<T>(RSQRT, p); break;
    case RECIPROCAL: unaryLoop<T>(RECIPROCAL, p); break;
    case SIN: unaryLoop<T>(SIN, p); break;
    case COS: unaryLoop<T>(COS, p); break;
    case TANH: unaryLoop<T>(TANH, p); break;
    case SIGMOID: unaryLoop<T>(SIGMOID, p); break;
    case RELU: unaryLoop<T>(RELU, p); break;
    case ERF: unaryLoop<T>(ERF, p); break;
    case SOFTPLUS: unaryLoop<T>(SOFTPLUS, p); break;
    case FLOOR: unaryLoop<T>(FLOOR, p); break;
    case CEIL: unaryLoop<T>(CEIL, p); break;
    case ROUND: unaryLoop<T>(ROUND, p); break;
    case GELU: unaryLoop<T>(GELU, p); break;
    case GELU_TANH: unaryLoop<T>(GELU_TANH, p); break;
    case SILU: unaryLoop<T>(SILU, p); break;
    case ERFC: unaryLoop<T>(ERFC, p); break;
    case ISNAN: predicateLoop<T>(ISNAN, p); break;
    case ISFINITE: predicateLoop<T>(ISFINITE, p); break;
    case LOGICAL_NOT: predicateLoop<T>(LOGICAL_NOT, p); break;
  }
}

function approximatedUnary(op: i32, p: usize): void {
  switch (op) {
    case EXP: approximatedLoop(EXP, p); break;
    case LOG: approximatedLoop(LOG, p); break;
    case TANH: approximatedLoop(TANH, p); break;
    case SIGMOID: approximatedLoop(SIGMOID, p); break;
    case SILU: approximatedLoop(SILU, p); break;
    case SOFTPLUS: approximatedLoop(SOFTPLUS, p); break;
    case GELU_TANH: approximatedLoop(GELU_TANH, p); break;
    case ERF: approximatedLoop(ERF, p); break;
    case ERFC: approximatedLoop(ERFC, p); break;
    case GELU: approximatedLoop(GELU, p); break;
  }
}

/** Unary `op` over operands [out, x] of element type `dtype` (predicates write bool). */
export function unary(op: i32, dtype: i32, p: usize): void {
  if (dtype == F32) unaryOps<f32>(op, p);
  else if (dtype == I32) unaryOps<i32>(op, p);
  else unaryOps<u8>(op, p);
}

// ---- binary --------------------------------------------------------------------------------------

@inline function arithmetic<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV:
      if (isFloat<T>()) return a / b;
      if (sizeof<T>() == 4) return <T>idiv(<i32>a, <i32>b);
      return b == <T>0 ? <T>0 : a / b;
    case POW:
      if (isFloat<T>()) return <T>Math.pow(<f64>a, <f64>b);
      return fromF64<T>(<f64>ipow(<i32>a, <i32>b));
    // Float max/min propagate NaN, like Math.max/min.
    case MAXIMUM: return isFloat<T>() ? max(a, b) : a > b ? a : b;
    case MINIMUM: return isFloat<T>() ? min(a, b) : a < b ? a : b;
  }
  return a;
}

@inline function arithmeticVectorizes(op: i32): bool {
  return op != POW;
}

@inline function arithmeticVector(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b);
    case MINIMUM: return f32x4.min(a, b);
  }
  return a;
}

@inline function arithmeticLoop<T>(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sa = step(p, 1);
  const sb = step(p, 2);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let a = at(p, 1);
    let b = at(p, 2);
    let i = 0;
    if (isFloat<T>() && sizeof<T>() == 4 && arithmeticVectorizes(op) && so == 4) {
      if (sa == 4 && sb == 4) {
        for (; i + 4 <= n; i += 4, o += 16, a += 16, b += 16) {
          v128.store(o, arithmeticVector(op, v128.load(a), v128.load(b)));
        }
      } else if (sa == 4 && sb == 0) {
        const vb = v128.load32_splat(b);
        for (; i + 4 <= n; i += 4, o += 16, a += 16) v128.store(o, arithmeticVector(op, v128.load(a), vb));
      } else if (sa == 0 && sb == 4) {
        const va = v128.load32_splat(a);
        for (; i + 4 <= n; i += 4, o += 16, b += 16) v128.store(o, arithmeticVector(op, va, v128.load(b)));
      }
    }
    for (; i < n; i++, o += so, a += sa, b += sb) store<T>(o, arithmetic<T>(op, load<T>(a), load<T>(b)));
    next(p);
  }
}

@inline function comparison<T>(op: i32, a: T, b: T): u8 {
  switch (op) {
    case EQ: return <u8>(a == b);
    case NE: return <u8>(a != b);
    case LT: return <u8>(a < b);
    case LE: return <u8>(a <= b);
    case GT: return <u8>(a > b);
    case GE: return <u8>(a >= b);
    // NaN != 0, so NaN counts as true.
    case LOGICAL_AND: return <u8>(a != <T>0 && b != <T>0);
  }
  return <u8>(a != <T>0 || b != <T>0);
}

@inline function comparisonLoop<T>(op: i32, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sa = step(p, 1);
  const sb = step(p, 2);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let a = at(p, 1);
    let b = at(p, 2);
    for (let i = 0; i < n; i++, o += so, a += sa, b += sb) store<u8>(o, comparison<T>(op, load<T>(a), load<T>(b)));
    next(p);
  }
}

function binaryOps<T>(op: i32, p: usize): void {
  switch (op) {
    case ADD: arithmeticLoop<T>(ADD, p); break;
    case SUB: arithmeticLoop<T>(SUB, p); break;
    case MUL: arithmeticLoop<T>(MUL, p); break;
    case DIV: arithmeticLoop<T>(DIV, p); break;
    case POW: arithmeticLoop<T>(POW, p); break;
    case MAXIMUM: arithmeticLoop<T>(MAXIMUM, p); break;
    case MINIMUM: arithmeticLoop<T>(MINIMUM, p); break;
    case EQ: comparisonLoop<T>(EQ, p); break;
    case NE: comparisonLoop<T>(NE, p); break;
    case LT: comparisonLoop<T>(LT, p); break;
    case LE: comparisonLoop<T>(LE, p); break;
    case GT: comparisonLoop<T>(GT, p); break;
    case GE: comparisonLoop<T>(GE, p); break;
    case LOGICAL_AND: comparisonLoop<T>(LOGICAL_AND, p); break;
    case LOGICAL_OR: comparisonLoop<T>(LOGICAL_OR, p); break;
  }
}

/** Binary `op` over operands [out, a, b]; comparisons write bool. */
export function binary(op: i32, dtype: i32, p: usize): void {
  if (dtype == F32) binaryOps<f32>(op, p);
  else if (dtype == I32) binaryOps<i32>(op, p);
  else binaryOps<u8>(op, p);
}

// ---- where ---------------------------------------------------------------------------------------

function whereLoop<T>(p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sc = step(p, 1);
  const sa = step(p, 2);
  const sb = step(p, 3);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let c = at(p, 1);
    let a = at(p, 2);
    let b = at(p, 3);
    for (let i = 0; i < n; i++, o += so, c += sc, a += sa, b += sb) {
      store<T>(o, load<u8>(c) != 0 ? load<T>(a) : load<T>(b));
    }
    next(p);
  }
}

/** `cond ? a : b` over operands [out, cond, a, b]. */
export function where(dtype: i32, p: usize): void {
  // Selection moves values without arithmetic: float32 travels as its 32-bit pattern.
  if (dtype == F32 || dtype == I32) whereLoop<i32>(p);
  else whereLoop<u8>(p);
}

// ---- conversion and copy -------------------------------------------------------------------------

@inline function convert<S, D>(x: S): D {
  if (isFloat<S>() == isFloat<D>() && sizeof<S>() == sizeof<D>()) return <D>x;
  // Nonzero (NaN included) is true.
  if (sizeof<D>() == 1) return <D>(x != <S>0);
  return fromF64<D>(<f64>x);
}

/** Side of the square blocks a transposing copy walks, so both sides stay in cache. */
const TILE = 16;

function castLoop<S, D>(p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  if (outerDims(p) == 1 && outerStride(p, 0, 1) == sizeof<S>() && sx != sizeof<S>()) {
    transposeLoop<S, D>(p, rows, n, outerStride(p, 0, 0), so, sx);
    return;
  }
  const same = isFloat<S>() == isFloat<D>() && sizeof<S>() == sizeof<D>();
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let x = at(p, 1);
    if (same && so == sizeof<D>() && sx == sizeof<S>()) {
      memory.copy(o, x, <usize>n * sizeof<D>());
    } else {
      for (let i = 0; i < n; i++, o += so, x += sx) store<D>(o, convert<S, D>(load<S>(x)));
    }
    next(p);
  }
}

/**
 * A 2-D walk whose source is contiguous along the outer dimension (a transpose): square tiles keep
 * the lines of both sides in cache instead of touching a new source line per element.
 */
function transposeLoop<S, D>(p: usize, rows: i32, n: i32, outerO: i32, so: i32, sx: i32): void {
  begin(p);
  const o0 = at(p, 0);
  const x0 = at(p, 1);
  const words = isFloat<S>() == isFloat<D>() && sizeof<S>() == 4 && sizeof<D>() == 4 && so == 4;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = min(rows, r0 + TILE);
    for (let c0 = 0; c0 < n; c0 += TILE) {
      const c1 = min(n, c0 + TILE);
      let r = r0;
      if (words) {
        for (; r + 4 <= r1; r += 4) {
          let c = c0;
          for (; c + 4 <= c1; c += 4) transpose4x4(o0 + <usize>(r * outerO + c * 4), outerO, x0 + <usize>(r * 4 + c * sx), sx);
          for (; c < c1; c++) {
            for (let i = 0; i < 4; i++) {
              store<u32>(o0 + <usize>((r + i) * outerO + c * 4), load<u32>(x0 + <usize>((r + i) * 4 + c * sx)));
            }
          }
        }
      }
      for (; r < r1; r++) {
        let o = o0 + <usize>(r * outerO + c0 * so);
        let x = x0 + <usize>(r * sizeof<S>() + c0 * sx);
        for (let c = c0; c < c1; c++, o += so, x += sx) store<D>(o, convert<S, D>(load<S>(x)));
      }
    }
  }
}

/**
 * Transposes a 4x4 block of 32-bit values: the source holds 4 adjacent values per column (column j
 * at x + j * sx); destination row i (at o + i * so) receives lane i of every column.
 */
@inline function transpose4x4(o: usize, so: i32, x: usize, sx: i32): void {
  const v0 = v128.load(x);
  const v1 = v128.load(x + <usize>sx);
  const v2 = v128.load(x + <usize>(2 * sx));
  const v3 = v128.load(x + <usize>(3 * sx));
  const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  v128.store(o, i64x2.shuffle(t0, t1, 0, 2));
  v128.store(o + <usize>so, i64x2.shuffle(t0, t1, 1, 3));
  v128.store(o + <usize>(2 * so), i64x2.shuffle(t2, t3, 0, 2));
  v128.store(o + <usize>(3 * so), i64x2.shuffle(t2, t3, 1, 3));
}

function castFrom<S>(to: i32, p: usize): void {
  if (to == F32) castLoop<S, f32>(p);
  else if (to == I32) castLoop<S, i32>(p);
  else if (to == U8) castLoop<S, u8>(p);
  else castLoop<S, f64>(p);
}

/**
 * Converts operand 1 (type `from`) into operand 0 (type `to`): float to int truncates and wraps,
 * anything to bool is `!= 0`. With equal types it is a strided copy.
 */
export function cast(from: i32, to: i32, p: usize): void {
  if (from == F32) castFrom<f32>(to, p);
  else if (from == I32) castFrom<i32>(to, p);
  else if (from == U8) castFrom<u8>(to, p);
  else castFrom<f64>(to, p);
}

// ---- creation ------------------------------------------------------------------------------------

function fillLoop<T>(out: usize, n: i32, value: f64): void {
  const v = fromF64<T>(value);
  for (let i = 0; i < n; i++) store<T>(out + (<usize>i) * sizeof<T>(), v);
}

/** `n` copies of `value` converted to `dtype`. */
export function fill(dtype: i32, out: usize, n: i32, value: f64): void {
  if (dtype == F32) fillLoop<f32>(out, n, value);
  else if (dtype == I32) fillLoop<i32>(out, n, value);
  else fillLoop<u8>(out, n, value);
}

function arangeLoop<T>(out: usize, n: i32, start: f64, delta: f64): void {
  for (let i = 0; i < n; i++) store<T>(out + (<usize>i) * sizeof<T>(), fromF64<T>(start + <f64>i * delta));
}

/** `start + i * delta` for i in [0, n), computed in float64 and rounded once. */
export function arange(dtype: i32, out: usize, n: i32, start: f64, delta: f64): void {
  if (dtype == F32) arangeLoop<f32>(out, n, start, delta);
  else if (dtype == I32) arangeLoop<i32>(out, n, start, delta);
  else arangeLoop<u8>(out, n, start, delta);
}
