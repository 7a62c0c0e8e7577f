/**
 * WGSL building blocks shared by the kernels. Every data buffer is an `array<u32>` and values are
 * bit-cast on load and store, so one shader shape serves every dtype: float32 computes in f32,
 * int32 and bool (0 or 1) in i32.
 *
 * NaN and infinity are tested on the bits, never with `x != x`, which a compiler may fold away.
 */
import type { DType } from '@flint/core';
import { EXP_LOG_LIBRARY } from './math/exp-log.ts';
import { TRIG_LIBRARY } from './math/trig.ts';
import { WORKGROUP } from './runtime.ts';

/** The WGSL type a dtype computes in. */
export function computeType(dtype: DType): 'f32' | 'i32' {
  return dtype === 'float32' ? 'f32' : 'i32';
}

/** Reads element `index` of the u32 buffer `buffer` as `dtype`'s compute type. */
export function load(dtype: DType, buffer: string, index: string): string {
  switch (dtype) {
    case 'float32':
      return `bitcast<f32>(${buffer}[${index}])`;
    case 'int32':
      return `bitcast<i32>(${buffer}[${index}])`;
    case 'bool':
      return `i32(${buffer}[${index}])`;
  }
}

/** The u32 word that stores `value`, of `dtype`'s compute type (bool stores `value != 0`). */
export function store(dtype: DType, value: string): string {
  return dtype === 'bool' ? `select(0u, 1u, (${value}) != 0)` : `bitcast<u32>(${value})`;
}

/**
 * Binding declarations: binding 0 is the u32 parameter block `p`, then `names` in order, each as
 * if the tensor had a buffer of its own. The runtime adapts them to its bindings (kernel-layout.ts).
 */
export function bindings(buffers: ReadonlyArray<readonly [name: string, access: 'read' | 'read_write', type?: string]>): string {
  const lines = ['@group(0) @binding(0) var<storage, read> p: array<u32>;'];
  buffers.forEach(([name, access, type], i) => lines.push(`@group(0) @binding(${i + 1}) var<storage, ${access}> ${name}: array<${type ?? 'u32'}>;`));
  return lines.join('\n');
}

/**
 * The entry point of a one-thread-per-element kernel over a 2-D grid of workgroups: `i` is the
 * flat thread index.
 */
export const ELEMENT_MAIN = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * ${WORKGROUP}u + li;`;

/** A WGSL helper: its name, the helpers it calls, and its code. */
export type LibraryFunction = readonly [name: string, deps: readonly string[], code: string];

/** Helper functions, included in a shader only when its body names them (dependencies first). */
const LIBRARY: readonly LibraryFunction[] = [
  ['viewOffset', [], `// Offset of the i-th element (row-major over the nd dims at p[shapeAt..]) in the view whose
// offset and strides start at p[viewAt].
fn viewOffset(i: u32, nd: u32, shapeAt: u32, viewAt: u32) -> u32 {
  var rem = i;
  var off = p[viewAt];
  for (var d = nd; d > 0u; d--) {
    let s = p[shapeAt + d - 1u];
    off += (rem % s) * p[viewAt + d];
    rem /= s;
  }
  return off;
}`],
  ['isNan', [], `fn isNan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`],
  ['isFiniteBits', [], `fn isFiniteBits(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }`],
  ['nonZero', [], `// True for NaN too, as in torch.
fn nonZero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }`],
  ['nan', [], `// Through a var: WGSL rejects infinities and NaN in constant expressions.
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }`],
  ['inf', [], `fn inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }`],
  ['fmax', ['isNan', 'nan'], `fn fmax(a: f32, b: f32) -> f32 { return select(max(a, b), nan(), isNan(a) || isNan(b)); }`],
  ['fmin', ['isNan', 'nan'], `fn fmin(a: f32, b: f32) -> f32 { return select(min(a, b), nan(), isNan(a) || isNan(b)); }`],
  ['fsqrt', ['nan'], `fn fsqrt(x: f32) -> f32 { return select(sqrt(x), nan(), x < 0.0); }`],
  ['ftanh', ['isNan', 'fexp'], `// Cephes' tanhf: a polynomial below 0.625, where drivers' (e^2x - 1) / (e^2x + 1) cancels
// (1e-3 relative error near 1e-5), and 1 - 2 / (e^2|x| + 1) above, saturated before exp overflows.
fn ftanh(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.625) {
    let z = x * x;
    return ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * x + x;
  }
  let r = 1.0 - 2.0 / (fexp(2.0 * min(ax, 15.0)) + 1.0);
  return select(r, -r, x < 0.0);
}`],
  ['fsigmoid', ['fexp'], `fn fsigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + fexp(-x)); }
  let e = fexp(x);
  return e / (1.0 + e);
}`],
  ['fsilu', ['fexp', 'fexpTimes'], `// x sigmoid(x); below 0 as (x e^x) / (1 + e^x), with x e^x rounded once, so that a subnormal
// e^x loses no digits of a normal result.
fn fsilu(x: f32) -> f32 {
  if (x >= 0.0) { return x / (1.0 + fexp(-x)); }
  return fexpTimes(x, x) / (1.0 + fexp(x));
}`],
  ['fsoftplus', ['flog1p', 'fexp', 'fmax'], `fn fsoftplus(x: f32) -> f32 { return fmax(x, 0.0) + flog1p(fexp(-abs(x))); }`],
  ['ferfcFit', ['fexp', 'fexpTimes', 'timesZero'], `// c erfc(y sqrt(k2)) for y >= 0 and k2 = 1 or 1/2, from Numerical Recipes' Chebyshev fit
// (fractional error < 1.2e-7), rounded once, so a normal result keeps its digits where erfc
// alone is subnormal. Its e^(-k2 y^2) is e^(-k2 h^2) e^(-k2 (y - h)(y + h)), with h = y rounded to
// 12 bits, so k2 h^2 is exact: the square of a rounded argument would be off by up to 2^-18
// near 10, 64 ulps of the result.
fn ferfcFit(y: f32, k2: f32, c: f32) -> f32 {
  let z = y * sqrt(k2);
  // erfc(12) 2^24 is below the smallest float, and far beyond it (y - h)(y + h) would overflow.
  if (!(z < 12.0)) { return timesZero(c); }
  let t = 1.0 / (1.0 + 0.5 * z);
  let h = bitcast<f32>(bitcast<u32>(y) & 0xfffff000u);
  let poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return fexpTimes(-(k2 * h) * h, c * t * fexp(poly - k2 * (y - h) * (y + h)));
}`],
  ['ferf', ['ferfcFit'], `// erf as in cpu-js: the Maclaurin series below 1, 1 - erfc (Numerical Recipes' Chebyshev fit) beyond.
fn ferf(x: f32) -> f32 {
  let z = abs(x);
  if (z < 1.0) {
    let z2 = x * x;
    var s = 0.0;
    var c = array<f32, 12>(1.1283791670955126, -0.37612638903183754, 0.11283791670955126, -0.026866170645131252,
      0.005223977625442188, -0.0008548327023450852, 0.00012055332981789664, -0.000014925650358406251,
      0.0000016462114365889246, -1.6365844691234924e-7, 1.4807192815879218e-8, -1.2290555301717926e-9);
    for (var n = 11; n >= 0; n--) { s = s * z2 + c[n]; }
    return x * s;
  }
  let tail = ferfcFit(z, 1.0, 1.0);
  return select(tail - 1.0, 1.0 - tail, x > 0.0);
}`],
  ['ferfcScaled', ['ferf', 'ferfcFit'], `// c erfc(y sqrt(k2)) for k2 = 1 or 1/2: the fit itself from 1/2, where 1 - erf would cancel,
// and 2 - the fit below -1.
fn ferfcScaled(y: f32, k2: f32, c: f32) -> f32 {
  let x = y * sqrt(k2);
  if (x >= 0.5) { return ferfcFit(y, k2, c); }
  if (x > -1.0) { return c * (1.0 - ferf(x)); }
  return c * (2.0 - ferfcFit(-y, k2, 1.0));
}`],
  ['fpow', ['isNan', 'isFiniteBits', 'nan', 'inf', 'powMagnitude'], `// Math.pow's rules: x^0 = 1 even for NaN; a negative base needs an integer exponent. Small
// integer exponents multiply (squares are common).
fn fpow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nan(); }
  // An infinite exponent: 0 or Inf by whether |a| is above 1, NaN at |a| = 1 (Math.pow).
  if (!isFiniteBits(b)) {
    let m = abs(a);
    if (m == 1.0) { return nan(); }
    return select(0.0, inf(), (m > 1.0) == (b > 0.0));
  }
  if (floor(b) == b && abs(b) <= 64.0) {
    var e = u32(abs(b));
    var base = a;
    var r = 1.0;
    loop {
      if ((e & 1u) == 1u) { r = r * base; }
      e = e >> 1u;
      if (e == 0u) { break; }
      base = base * base;
    }
    return select(r, 1.0 / r, b < 0.0);
  }
  // The base's bits, not float compares: drivers that flush subnormals would take a subnormal for 0.
  let bits = bitcast<u32>(a);
  if ((bits & 0x7fffffffu) == 0u) { return select(inf(), 0.0, b > 0.0); }
  let r = powMagnitude(bitcast<f32>(bits & 0x7fffffffu), b);
  if (bits < 0x80000000u) { return r; }
  if (floor(b) != b) { return nan(); }
  let odd = abs(b) < 16777216.0 && (i32(abs(b)) & 1) == 1;
  return select(r, -r, odd);
}`],
  ['ipow', [], `// Integer power wrapping like C: only +-1 survive a negative exponent.
fn ipow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var r = 1;
  var base = a;
  var e = u32(b);
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) == 1u) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}`],
  ['toInt', ['isFiniteBits'], `// Float to int32 as a typed-array store: truncate, NaN and infinities to 0, wrap modulo 2^32.
fn toInt(x: f32) -> i32 {
  if (!isFiniteBits(x)) { return 0; }
  let t = trunc(x);
  if (abs(t) < 2147483648.0) { return i32(t); }
  let m = t - floor(t / 4294967296.0) * 4294967296.0;
  return bitcast<i32>(u32(m));
}`],
  ...EXP_LOG_LIBRARY,
  ...TRIG_LIBRARY,
];

/** `body` with the library functions it uses (directly or through others) prepended, dependencies first. */
export function withLibrary(body: string): string {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (name: string): void => {
    if (placed.has(name)) return;
    placed.add(name);
    const [, deps, code] = LIBRARY.find(([n]) => n === name)!;
    for (const dep of deps) place(dep);
    ordered.push(code);
  };
  for (const [name] of LIBRARY) if (new RegExp(`\\b${name}\\b`).test(body)) place(name);
  return `${ordered.join('\n')}\n${body}`;
}

/** A u32 parameter block: sizes, then views as offset followed by strides. */
export class Params {
  readonly #values: number[] = [];

  /** Appends plain values. */
  push(...values: readonly number[]): this {
    this.#values.push(...values);
    return this;
  }

  /** Appends a view's offset and strides. */
  view(v: { readonly offset: number; readonly strides: readonly number[] }): this {
    return this.push(v.offset, ...v.strides);
  }

  get length(): number {
    return this.#values.length;
  }

  toArray(): Uint32Array {
    return Uint32Array.from(this.#values);
  }
}
