/**
 * Measures each backend's accuracy contract: the largest error, in float32 ulps of the exact
 * result, of every unary transcendental op and of its gradient, over a sweep of float32 inputs
 * from subnormal to overflow magnitudes, against exact values (mpmath at 40 digits, reference.py);
 * PyTorch's own float32 results are measured the same way, for comparison.
 * Prints a markdown table. Run from the repo root (needs python3-torch):
 *   pnpm accuracy                      # cpu-js and wasm-simd
 *   pnpm accuracy cpu-js webgpu        # any registered backends (webgpu needs a driver: VK_DRIVER_FILES)
 */
import * as flint from '@flint/core';
import { cpuJs } from '@flint/cpu-js';
import { wasmSimd } from '@flint/wasm-simd';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Op = (x: flint.Tensor) => flint.Tensor;
const OPS: Record<string, Op> = {
  exp: flint.exp, log: flint.log, log1p: flint.log1p, sqrt: flint.sqrt, rsqrt: flint.rsqrt, reciprocal: flint.reciprocal,
  sin: flint.sin, cos: flint.cos, tanh: flint.tanh, sigmoid: flint.sigmoid, erf: flint.erf, softplus: (x) => flint.softplus(x),
  gelu: (x) => flint.gelu(x), geluTanh: (x) => flint.gelu(x, { approximate: 'tanh' }), silu: flint.silu,
};

/** Every sign and binade from subnormal to the largest float, densely, plus [-30, 30] finely and the specials. */
function sweep(): Float32Array {
  const xs: number[] = [0, -0, Infinity, -Infinity, NaN, 2 ** -149, 2 ** -140, 2 ** -127, 2 ** -126];
  for (let e = -149; e <= 127; e += 0.05) xs.push(2 ** e, -(2 ** e));
  for (let x = -30; x <= 30; x += 1 / 128) xs.push(x + 1 / 1024);
  for (let x = -3e-7; x <= 3e-7; x += 1e-9) xs.push(x); // log1p and friends around 0
  return Float32Array.from(xs.flatMap((x) => (x >= 2 ** 128 || x <= -(2 ** 128) ? [] : [x])));
}

/** Error of `actual` in ulps of float32 at the exact `expected`; Infinity for a wrong NaN, infinity or sign of an overflow. */
function ulps(actual: number, expected: number): number {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual) ? 0 : Infinity;
  const rounded = Math.fround(expected);
  if (!Number.isFinite(rounded) || !Number.isFinite(actual)) return actual === rounded ? 0 : Infinity;
  const magnitude = Math.abs(expected);
  const ulp = magnitude < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(magnitude)) - 23);
  return Math.abs(actual - expected) / ulp;
}

type Results = { value: number[]; grad: number[] };
type Encoded = Array<number | string>;

/** The exact values (mpmath) and PyTorch's float32 ones, from reference.py. */
function reference(xs: Float32Array): Record<string, { exact: Results; torch32: Results }> {
  const encode = (x: number): number | string => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x));
  const input = JSON.stringify(Object.fromEntries(Object.keys(OPS).map((op) => [op, Array.from(xs, encode)])));
  const script = fileURLToPath(new URL('reference.py', import.meta.url));
  const run = spawnSync('/usr/bin/python3', [script], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`the reference failed (Debian's python3-torch and python3-mpmath installed?): ${run.stderr}`);
  const number = (v: number | string): number => (typeof v === 'number' ? v : Number(v.replace(/^(-?)inf$/, '$1Infinity'))); // Python writes inf, -inf, nan
  const decode = (r: { value: Encoded; grad: Encoded }): Results => ({ value: r.value.map(number), grad: r.grad.map(number) });
  const raw = JSON.parse(run.stdout) as Record<string, { exact: { value: Encoded; grad: Encoded }; torch32: { value: Encoded; grad: Encoded } }>;
  return Object.fromEntries(Object.entries(raw).map(([op, r]) => [op, { exact: decode(r.exact), torch32: decode(r.torch32) }]));
}

interface Worst { ulps: number; at: number; got: number; want: number }
function worst(xs: Float32Array, actual: ArrayLike<number>, expected: number[]): Worst {
  let w: Worst = { ulps: 0, at: NaN, got: NaN, want: NaN };
  for (let i = 0; i < xs.length; i++) {
    const e = ulps(actual[i]!, expected[i]!);
    if (e > w.ulps) w = { ulps: e, at: xs[i]!, got: actual[i]!, want: expected[i]! };
  }
  return w;
}

const short = (v: number): string => (Number.isFinite(v) && v !== 0 ? v.toPrecision(3) : Object.is(v, -0) ? '-0' : String(v));
function cell(w: Worst): string {
  if (w.ulps < 1000) return w.ulps.toFixed(1);
  const size = w.ulps === Infinity ? '' : `${w.ulps.toExponential(0)}: `;
  return `${size}${short(w.got)} for ${short(w.want)} at x = ${short(w.at)}`;
}

// pnpm forwards the `--` of `pnpm accuracy -- webgpu`; it names no backend.
const given = process.argv.slice(2).filter((a) => a !== '--');
const names = given.length > 0 ? given : ['cpu-js', 'wasm-simd'];
if (names.includes('webgpu')) flint.registerBackend((await import('@flint/webgpu')).webgpu);
flint.registerBackend(cpuJs);
flint.registerBackend(wasmSimd);
const xs = sweep();
const ref = reference(xs);
const rows = new Map<string, string[]>();
const add = (op: string, value: Worst, grad: Worst): void => void rows.set(op, [...(rows.get(op) ?? []), cell(value), cell(grad)]);
for (const [op, r] of Object.entries(ref)) add(op, worst(xs, r.torch32.value, r.exact.value), worst(xs, r.torch32.grad, r.exact.grad));
for (const name of names) {
  await flint.setBackend(name);
  for (const [op, fn] of Object.entries(OPS)) {
    const x = flint.tensor(xs).requiresGrad_(true);
    const y = fn(x);
    y.sum().backward();
    add(op, worst(xs, await y.data(), ref[op]!.exact.value), worst(xs, await x.grad!.data(), ref[op]!.exact.grad));
    flint.tidy(() => [x, y].forEach((t) => t.dispose()));
  }
}
const systems = ['PyTorch float32', ...names];
console.log(`| op | ${systems.map((n) => `${n} value | ${n} gradient`).join(' | ')} |`);
console.log(`| --- | ${systems.map(() => '--- | ---').join(' | ')} |`);
for (const [op, cells] of rows) console.log(`| ${op} | ${cells.join(' | ')} |`);
process.exit(0);
