/**
 * Input generation: shapes with 0- and 1-sized dims, float32 values mixing ordinary numbers with
 * edge values, int32 and bool data, and the literal JavaScript that recreates each input.
 */
import type * as flint from '@flint/core';
import type { CaseRandom } from './random.ts';

/**
 * float32 edge values: NaN, infinities, signed zeros, the smallest normal, subnormals (down to the
 * smallest), near-max, arguments whose exp is subnormal or near overflow, 2^24 + 2 (past exact
 * integers' spacing of 1), and the kinks of ordinary ops.
 */
export const edgeFloats = [NaN, Infinity, -Infinity, -0, 0, 1e-38, -1e-38, 1e-40, 1.4e-45, 1e38, -1e38, 3e38, -88, -100, 88.5, 16777218, 1, -1, 0.5];
/** int32 edge values, including the extremes. */
export const edgeInts = [0, 1, -1, 2147483647, -2147483648, 65536, -65537];

/** One input: its values, shape and dtype, host-side. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly dtype: flint.DType;
  readonly data: readonly number[];
  /** JavaScript recreating the data, for inputs too long to print as a literal. */
  readonly source?: string;
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A shape of `rank` dims, mostly 1 to 4 long, sometimes 1, rarely 0 (when `allowEmpty`). */
export function randomShape(r: CaseRandom, rank: number, allowEmpty = true): number[] {
  return Array.from({ length: rank }, () => (allowEmpty && r.chance(0.04) ? 0 : r.chance(0.2) ? 1 : r.int(2, 5)));
}

/** Value styles: ordinary, positive, up to 12 in magnitude (the tails of tanh, gelu...), wide range, with edge values. */
export type ValueStyle = 'plain' | 'positive' | 'moderate' | 'wide' | 'edge';

export function randomFloat(r: CaseRandom, style: ValueStyle): number {
  if (style === 'edge' && r.chance(0.3)) return r.pick(edgeFloats);
  if (style === 'wide') return Math.fround((r.next() * 2 - 1) * 10 ** r.int(-8, 12));
  if (style === 'moderate') return Math.fround((r.next() * 2 - 1) * 12);
  const v = Math.fround(Math.round((r.next() * 6 - 3) * 64) / 64 + r.next() / 1024);
  return style === 'positive' ? Math.fround(Math.abs(v) + 0.01) : v;
}

export function randomFloats(r: CaseRandom, shape: readonly number[], style: ValueStyle): HostTensor {
  // Rounded here so host oracles see exactly the float32 the backends hold (1e38 is not one).
  return { shape, dtype: 'float32', data: Array.from({ length: numel(shape) }, () => Math.fround(randomFloat(r, style))) };
}

export function randomInts(r: CaseRandom, shape: readonly number[], lo: number, hi: number, edges = false): HostTensor {
  return { shape, dtype: 'int32', data: Array.from({ length: numel(shape) }, () => (edges && r.chance(0.2) ? r.pick(edgeInts) : r.int(lo, hi))) };
}

export function randomBools(r: CaseRandom, shape: readonly number[]): HostTensor {
  return { shape, dtype: 'bool', data: Array.from({ length: numel(shape) }, () => (r.chance(0.5) ? 1 : 0)) };
}

/** A number as JavaScript source that gives back the same float32 (and -0, NaN, Infinity). */
export function numberLiteral(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  // The shortest decimal that rounds back to this float32.
  for (let digits = 1; digits <= 17; digits++) {
    const s = v.toPrecision(digits);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(v);
}

function nested(data: readonly number[], shape: readonly number[], dtype: flint.DType, at = 0): string {
  if (shape.length === 0) return dtype === 'bool' ? String(data[at] !== 0) : numberLiteral(data[at]!);
  const [n, ...rest] = shape;
  const inner = numel(rest);
  return `[${Array.from({ length: n! }, (_, i) => nested(data, rest, dtype, at + i * inner)).join(', ')}]`;
}

/**
 * A long float32 row with a closed form `f(i)`, so its repro stays one short line. The values
 * must not be dyadic (multiples of 1/256 would sum exactly in float32 in any order, hiding
 * accumulation error).
 */
export function closedForm(shape: readonly number[], body: string, f: (i: number) => number): HostTensor {
  const n = numel(shape);
  const source = `flint.tensor(Float32Array.from({ length: ${n} }, (_, i) => ${body}), { dtype: 'float32' }).reshape([${shape.join(', ')}])`;
  return { shape, dtype: 'float32', data: Array.from({ length: n }, (_, i) => Math.fround(f(i))), source };
}

/** Values in [-1.95, 1.95] whose running sum drifts, as a long scan's does. */
export const patternFloats = (shape: readonly number[]): HostTensor => closedForm(shape, '(((i * 7919) % 1000) - 500) / 257', (i) => (((i * 7919) % 1000) - 500) / 257);

/** `flint.tensor(...)` source recreating `t` on the default device (empty shapes via `zeros`). */
export function tensorLiteral(t: HostTensor): string {
  if (t.source) return t.source;
  const dtype = `{ dtype: '${t.dtype}' }`;
  if (numel(t.shape) === 0) return `flint.zeros([${t.shape.join(', ')}], ${dtype})`;
  return `flint.tensor(${nested(t.data, t.shape, t.dtype)}, ${dtype})`;
}

/** The host tensor on `device`. */
export function upload(flintApi: typeof flint, t: HostTensor, device: string, requiresGrad = false): flint.Tensor {
  const host = t.dtype === 'float32' ? Float32Array.from(t.data) : t.dtype === 'int32' ? Int32Array.from(t.data) : Uint8Array.from(t.data);
  const x = flintApi.tensor(host, { dtype: t.dtype, device }).reshape([...t.shape]);
  return requiresGrad ? x.requiresGrad_() : x;
}
