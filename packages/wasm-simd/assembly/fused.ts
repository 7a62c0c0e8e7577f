// Fused float32 kernels: softmax along an axis and the optimizer updates. Each rounds every step
// to float32 in the order core's composition of primitives does (exp and log by the unary kernels'
// f32x4 forms; sums in float64 like the reductions), so both paths agree.
import { at, begin, extra, next, rowCount, rowLen, step } from './iter';
import { sumContiguousF32 } from './reduce';
import { exp4, log4 } from './vector-math';

// ---- softmax -------------------------------------------------------------------------------------

/** Maximum of n float32 values `sx` bytes apart; NaN propagates, as in the max reduction. */
@inline function lineMax(x: usize, n: i32, sx: i32): f32 {
  let m: f32 = -Infinity;
  let i = 0;
  if (sx == 4 && n >= 16) {
    // Four accumulators: wasm's NaN-propagating max is several instructions deep on x86.
    let v0 = f32x4.splat(-Infinity);
    let v1 = v0;
    let v2 = v0;
    let v3 = v0;
    for (; i + 16 <= n; i += 16, x += 64) {
      v0 = f32x4.max(v0, v128.load(x));
      v1 = f32x4.max(v1, v128.load(x, 16));
      v2 = f32x4.max(v2, v128.load(x, 32));
      v3 = f32x4.max(v3, v128.load(x, 48));
    }
    const v = f32x4.max(f32x4.max(v0, v1), f32x4.max(v2, v3));
    m = max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; i < n; i++, x += sx) m = max(m, load<f32>(x));
  return m;
}

/** Sum of n float32 values `step` bytes apart, in float64. */
@inline function lineSum(x: usize, n: i32, step: i32): f64 {
  if (step == 4) return sumContiguousF32(x, n);
  let sum: f64 = 0;
  for (let i = 0; i < n; i++, x += step) sum += <f64>load<f32>(x);
  return sum;
}

/**
 * One line: its maximum; the shifted values into `o`, then their exponentials in place (the unary
 * kernel's loop); their float64 sum, in the sum reduction's order; then division by the sum, or for
 * log-softmax the shifted values less log(sum). Contiguous lines take vector paths.
 */
@inline function softmaxLine(log: bool, o: usize, x: usize, n: i32, so: i32, sx: i32): void {
  const m = lineMax(x, n, sx);
  let i = 0;
  if (so == 4 && sx == 4) {
    const mv = f32x4.splat(m);
    for (; i + 4 <= n; i += 4) v128.store(o + (<usize>i << 2), f32x4.sub(v128.load(x + (<usize>i << 2)), mv));
  }
  for (; i < n; i++) store<f32>(o + <usize>(i * so), load<f32>(x + <usize>(i * sx)) - m);
  let j = 0;
  if (so == 4) for (; j + 4 <= n; j += 4) v128.store(o + (<usize>j << 2), exp4(v128.load(o + (<usize>j << 2))));
  for (let oj = o + <usize>(j * so); j < n; j++, oj += so) store<f32>(oj, f32x4.extract_lane(exp4(f32x4.splat(load<f32>(oj))), 0));
  const total = <f32>lineSum(o, n, so);
  i = 0;
  if (log) {
    const c = f32x4.extract_lane(log4(f32x4.splat(total)), 0);
    if (so == 4 && sx == 4) {
      const mv = f32x4.splat(m);
      const cv = f32x4.splat(c);
      for (; i + 4 <= n; i += 4, o += 16, x += 16) v128.store(o, f32x4.sub(f32x4.sub(v128.load(x), mv), cv));
    }
    for (; i < n; i++, o += so, x += sx) store<f32>(o, load<f32>(x) - m - c);
  } else {
    if (so == 4) {
      const tv = f32x4.splat(total);
      for (; i + 4 <= n; i += 4, o += 16) v128.store(o, f32x4.div(v128.load(o), tv));
    }
    for (; i < n; i++, o += so) store<f32>(o, load<f32>(o) / total);
  }
}

/**
 * Softmax (log-softmax when `log`) along one axis: operands [out, x] over the shape without that
 * axis; extra parameters: the axis length, then out's and x's byte strides along it.
 */
export function softmax(log: bool, p: usize): void {
  const n = rowLen(p);
  const rows = rowCount(p);
  const so = step(p, 0);
  const sx = step(p, 1);
  const len = extra(p, 0);
  const lineO = extra(p, 1);
  const lineX = extra(p, 2);
  begin(p);
  for (let r = 0; r < rows; r++) {
    let o = at(p, 0);
    let x = at(p, 1);
    for (let i = 0; i < n; i++, o += so, x += sx) softmaxLine(log, o, x, len, lineO, lineX);
    next(p);
  }
}

// ---- optimizer updates ---------------------------------------------------------------------------
// Contiguous float32 arrays updated in place, four lanes at a time; the tail runs the same code on
// one lane. Flags match src/kernels/fused.ts.

const MAXIMIZE: i32 = 1;
const DECAY: i32 = 2;
const DECOUPLED: i32 = 4;
const MOMENTUM: i32 = 8;
const NESTEROV: i32 = 16;
const NEW_BUFFER: i32 = 32;
const AMSGRAD: i32 = 64;

@inline function ld(ptr: usize, full: bool): v128 {
  return full ? v128.load(ptr) : v128.load32_zero(ptr);
}

@inline function st(ptr: usize, v: v128, full: bool): void {
  if (full) v128.store(ptr, v);
  else v128.store32_lane(ptr, v, 0);
}

@inline function sgdAt(full: bool, param: usize, grad: usize, buf: usize, flags: i32, negLr: v128, decay: v128, momentum: v128, damped: v128): void {
  const p = ld(param, full);
  let d = ld(grad, full);
  if (flags & MAXIMIZE) d = f32x4.neg(d);
  if (flags & DECAY) d = f32x4.add(d, f32x4.mul(p, decay));
  if (flags & MOMENTUM) {
    const b = flags & NEW_BUFFER ? d : f32x4.add(f32x4.mul(ld(buf, full), momentum), f32x4.mul(d, damped));
    st(buf, b, full);
    d = flags & NESTEROV ? f32x4.add(d, f32x4.mul(b, momentum)) : b;
  }
  st(param, f32x4.add(p, f32x4.mul(d, negLr)), full);
}

@inline function sgdLoop(flags: i32, param: usize, grad: usize, buf: usize, n: i32, negLr: f32, decay: f32, momentum: f32, damped: f32): void {
  const vl = f32x4.splat(negLr);
  const vd = f32x4.splat(decay);
  const vm = f32x4.splat(momentum);
  const vdamp = f32x4.splat(damped);
  let i = 0;
  for (; i + 4 <= n; i += 4, param += 16, grad += 16, buf += 16) sgdAt(true, param, grad, buf, flags, vl, vd, vm, vdamp);
  for (; i < n; i++, param += 4, grad += 4, buf += 4) sgdAt(false, param, grad, buf, flags, vl, vd, vm, vdamp);
}

/**
 * torch.optim.SGD on n contiguous elements: `negLr` = -lr, `damped` = 1 - dampening; `buf` is
 * read only with MOMENTUM. The usual option sets run copies of the loop whose flags are constants,
 * so the compiler drops the other options' work from them.
 */
export function sgdStep(param: usize, grad: usize, buf: usize, n: i32, flags: i32, negLr: f32, decay: f32, momentum: f32, damped: f32): void {
  if (flags == 0) sgdPlain(param, grad, n, negLr);
  else if (flags == MOMENTUM) sgdMomentum(param, grad, buf, n, negLr, momentum, damped);
  else if (flags == (MOMENTUM | DECAY)) sgdMomentumDecay(param, grad, buf, n, negLr, decay, momentum, damped);
  else if (flags == (MOMENTUM | NESTEROV)) sgdNesterov(param, grad, buf, n, negLr, momentum, damped);
  else sgdLoop(flags, param, grad, buf, n, negLr, decay, momentum, damped);
}

function sgdPlain(param: usize, grad: usize, n: i32, negLr: f32): void {
  sgdLoop(0, param, grad, 0, n, negLr, 0, 0, 0);
}

function sgdMomentum(param: usize, grad: usize, buf: usize, n: i32, negLr: f32, momentum: f32, damped: f32): void {
  sgdLoop(MOMENTUM, param, grad, buf, n, negLr, 0, momentum, damped);
}

function sgdMomentumDecay(param: usize, grad: usize, buf: usize, n: i32, negLr: f32, decay: f32, momentum: f32, damped: f32): void {
  sgdLoop(MOMENTUM | DECAY, param, grad, buf, n, negLr, decay, momentum, damped);
}

function sgdNesterov(param: usize, grad: usize, buf: usize, n: i32, negLr: f32, momentum: f32, damped: f32): void {
  sgdLoop(MOMENTUM | NESTEROV, param, grad, buf, n, negLr, 0, momentum, damped);
}

@inline function adamAt(
  full: bool, param: usize, grad: usize, m: usize, v: usize, vmax: usize, flags: i32,
  decay: v128, beta1: v128, rest1: v128, beta2: v128, rest2: v128, bc2Sqrt: v128, eps: v128, negStep: v128,
): void {
  let p = ld(param, full);
  let g = ld(grad, full);
  if (flags & MAXIMIZE) g = f32x4.neg(g);
  if (flags & DECOUPLED) p = f32x4.mul(p, decay);
  else if (flags & DECAY) g = f32x4.add(g, f32x4.mul(p, decay));
  const m1 = f32x4.add(f32x4.mul(ld(m, full), beta1), f32x4.mul(g, rest1));
  let v1 = f32x4.add(f32x4.mul(ld(v, full), beta2), f32x4.mul(f32x4.mul(g, g), rest2));
  st(m, m1, full);
  st(v, v1, full);
  if (flags & AMSGRAD) {
    v1 = f32x4.max(ld(vmax, full), v1);
    st(vmax, v1, full);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(v1), bc2Sqrt), eps);
  st(param, f32x4.add(p, f32x4.mul(f32x4.div(m1, denom), negStep)), full);
}

/**
 * torch.optim.Adam/AdamW on n contiguous elements. `decay` is weightDecay, or with DECOUPLED the
 * factor 1 - lr * weightDecay; `rest1`/`rest2` are 1 - beta; `bc2Sqrt` = sqrt(1 - beta2^step);
 * `negStep` = -lr / (1 - beta1^step); `vmax` is read only with AMSGRAD.
 */
export function adamStep(
  param: usize, grad: usize, m: usize, v: usize, vmax: usize, n: i32, flags: i32,
  decay: f32, beta1: f32, rest1: f32, beta2: f32, rest2: f32, bc2Sqrt: f32, eps: f32, negStep: f32,
): void {
  const vd = f32x4.splat(decay);
  const vb1 = f32x4.splat(beta1);
  const vr1 = f32x4.splat(rest1);
  const vb2 = f32x4.splat(beta2);
  const vr2 = f32x4.splat(rest2);
  const vbc = f32x4.splat(bc2Sqrt);
  const ve = f32x4.splat(eps);
  const vs = f32x4.splat(negStep);
  let i = 0;
  for (; i + 4 <= n; i += 4, param += 16, grad += 16, m += 16, v += 16, vmax += 16) {
    adamAt(true, param, grad, m, v, vmax, flags, vd, vb1, vr1, vb2, vr2, vbc, ve, vs);
  }
  for (; i < n; i++, param += 4, grad += 4, m += 4, v += 4, vmax += 4) {
    adamAt(false, param, grad, m, v, vmax, flags, vd, vb1, vr1, vb2, vr2, vbc, ve, vs);
  }
}
