/**
 * WGSL building blocks shared by the kernels. Every data buffer is an `array<u32>` and values are
 * bit-cast on load and store, so one shader shape serves every dtype: float32 computes in f32,
 * int32 and bool (0 or 1) in i32.
 *
 * NaN and infinity are tested on the bits, never with `x != x`, which a compiler may fold away.
 */
import type { DType } from '@flint/core';
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

/** Helper functions, included in a shader only when its body names them (dependencies first). */
const LIBRARY: ReadonlyArray<readonly [name: string, deps: readonly string[], code: string]> = [
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
  ['flog', ['nan', 'inf'], `fn flog(x: f32) -> f32 { return select(select(log(x), -inf(), x == 0.0), nan(), x < 0.0); }`],
  ['fsqrt', ['nan'], `fn fsqrt(x: f32) -> f32 { return select(sqrt(x), nan(), x < 0.0); }`],
  ['flog1p', ['flog'], `// log(1 + x) without losing small x: the rounding of 1 + x is divided back out.
fn flog1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (u == u + 1.0 || u <= 0.0) { return flog(u); }
  return log(u) * (x / (u - 1.0));
}`],
  ['ftanh', ['isNan'], `// Cephes' tanhf: a polynomial below 0.625, where drivers' (e^2x - 1) / (e^2x + 1) cancels
// (1e-3 relative error near 1e-5), and 1 - 2 / (e^2|x| + 1) above, saturated before exp overflows.
fn ftanh(x: f32) -> f32 {
  if (isNan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.625) {
    let z = x * x;
    return ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * x + x;
  }
  let r = 1.0 - 2.0 / (exp(2.0 * min(ax, 15.0)) + 1.0);
  return select(r, -r, x < 0.0);
}`],
  ['fsigmoid', [], `fn fsigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`],
  ['fsoftplus', ['flog1p', 'fmax'], `fn fsoftplus(x: f32) -> f32 { return fmax(x, 0.0) + flog1p(exp(-abs(x))); }`],
  ['ferfcFit', [], `// Numerical Recipes' Chebyshev fit of erfc(z) for z >= 0 (fractional error < 1.2e-7).
fn ferfcFit(z: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * z);
  return t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
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
  let tail = ferfcFit(z);
  return select(tail - 1.0, 1.0 - tail, x > 0.0);
}`],
  ['ferfc', ['ferf', 'ferfcFit'], `// erfc as in cpu-js: the fit itself beyond 1, where 1 - erf would cancel.
fn ferfc(x: f32) -> f32 {
  if (abs(x) < 1.0) { return 1.0 - ferf(x); }
  return select(2.0 - ferfcFit(-x), ferfcFit(x), x > 0.0);
}`],
  ['sinCosPoly', [], `// Cephes' sinf/cosf: reduce by multiples of pi/4 in three exact parts, then a minimax polynomial
// on [-pi/4, pi/4]. Drivers may implement sin and cos with too little accuracy (SwiftShader's err
// near 1e-4); beyond 8192 the reduction loses bits, so the driver's functions take over there.
fn sinCosPoly(x: f32, cosine: bool) -> f32 {
  let ax = abs(x);
  if (ax > 8192.0) { return select(sin(x), cos(x), cosine); }
  var j = u32(ax * 1.2732395447351628);
  var y = f32(j);
  if ((j & 1u) == 1u) { j += 1u; y += 1.0; }
  j = j & 7u;
  var negate = false;
  if (j > 3u) { negate = true; j -= 4u; }
  if (cosine) {
    if (j > 1u) { negate = !negate; }
  } else if (x < 0.0) {
    negate = !negate;
  }
  let z = ((ax - y * 0.78515625) - y * 2.4187564849853515625e-4) - y * 3.77489497744594108e-8;
  let zz = z * z;
  let cosPoly = ((2.443315711809948e-5 * zz - 1.388731625493765e-3) * zz + 4.166664568298827e-2) * zz * zz - 0.5 * zz + 1.0;
  let sinPoly = ((-1.9515295891e-4 * zz + 8.3321608736e-3) * zz - 1.6666654611e-1) * zz * z + z;
  let usesCos = (j == 1u || j == 2u) != cosine;
  let r = select(sinPoly, cosPoly, usesCos);
  return select(r, -r, negate);
}`],
  ['fsin', ['sinCosPoly', 'isFiniteBits', 'nan'], `fn fsin(x: f32) -> f32 { return select(nan(), sinCosPoly(x, false), isFiniteBits(x)); }`],
  ['fcos', ['sinCosPoly', 'isFiniteBits', 'nan'], `fn fcos(x: f32) -> f32 { return select(nan(), sinCosPoly(x, true), isFiniteBits(x)); }`],
  ['fpow', ['isNan', 'nan', 'inf'], `// Math.pow's rules: x^0 = 1 even for NaN; a negative base needs an integer exponent. Small
// integer exponents multiply (squares are common and drivers' exp2/log2 may be coarse).
fn fpow(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nan(); }
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
  if (a == 0.0) { return select(inf(), 0.0, b > 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
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
