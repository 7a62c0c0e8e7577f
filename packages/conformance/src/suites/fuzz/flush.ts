/**
 * Subnormals flushed to zero: drivers may do so (WGSL allows it), so a divergence in a case that
 * holds subnormals is put down to flushing only when the reference, run on the case with its
 * subnormal inputs and arguments flushed and its results flushed, agrees with the backend.
 */
import type { Arg, Call } from './call.ts';
import type { CaseInput, FuzzCase } from './catalogue.ts';
import type { Result } from './compare.ts';

const smallestNormal = 1.1754943508222875e-38;
export const subnormal = (v: number): boolean => v !== 0 && Math.abs(v) < smallestNormal;
/** The value a flushing driver computes with: a signed zero for a subnormal. */
const flush = (v: number): number => (subnormal(v) ? (v < 0 ? -0 : 0) : v);

const numbersIn = (a: Arg): number[] =>
  typeof a === 'number' ? [a] : Array.isArray(a) ? a.flatMap(numbersIn) : a !== null && typeof a === 'object' && !('ref' in a) ? Object.values(a).flatMap(numbersIn) : [];

/** Whether a case's float inputs, scalar arguments or expected result hold subnormals. */
export const involvesSubnormals = (c: FuzzCase, expected: readonly (Result | null)[]): boolean =>
  c.inputs.some((i) => i.host.dtype === 'float32' && i.host.data.some(subnormal)) ||
  numbersIn(c.call.args).some((v) => subnormal(Math.fround(v))) ||
  expected.some((r) => r?.dtype === 'float32' && Array.from(r.data).some(subnormal));

const flushArg = (a: Arg): Arg =>
  typeof a === 'number' ? flush(Math.fround(a)) : Array.isArray(a) ? a.map(flushArg) : a !== null && typeof a === 'object' && !('ref' in a) ? Object.fromEntries(Object.entries(a).map(([k, v]) => [k, flushArg(v as Arg)])) : a;

/** The case with its float inputs' and scalar arguments' subnormals flushed. */
export function flushCase(c: FuzzCase): FuzzCase {
  const inputs = c.inputs.map((i): CaseInput => (i.host.dtype === 'float32' ? { ...i, host: { ...i.host, data: i.host.data.map(flush), source: undefined } } : i));
  const call: Call = { ...c.call, args: c.call.args.map(flushArg) };
  return { ...c, inputs, call };
}

/** A result with its subnormals flushed. */
export const flushResult = (r: Result | null): Result | null => (r && r.dtype === 'float32' ? { ...r, data: Array.from(r.data, flush) } : r);
