/**
 * A call written once as data, so the code that runs it and the repro that prints it cannot
 * disagree: `{ ref: i }` stands for the case's i-th input, everything else is a literal argument.
 */
import * as flint from '@flint/core';
import { numberLiteral } from './values.ts';

export interface Ref {
  readonly ref: number;
}
export type Arg = Ref | number | boolean | string | null | undefined | readonly Arg[] | { readonly [key: string]: Arg };

/** `x.name(...args)` on the first argument, or `flint.name(...args)` when `on` is 'flint'. */
export interface Call {
  readonly on: 'method' | 'flint';
  readonly name: string;
  readonly args: readonly Arg[];
}

export const ref = (i: number): Ref => ({ ref: i });
const isRef = (a: Arg): a is Ref => typeof a === 'object' && a !== null && !Array.isArray(a) && 'ref' in a;

function resolve(a: Arg, xs: readonly flint.Tensor[]): unknown {
  if (isRef(a)) return xs[a.ref];
  if (Array.isArray(a)) return a.map((v) => resolve(v, xs));
  if (typeof a === 'object' && a !== null) return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, resolve(v as Arg, xs)]));
  return a;
}

function source(a: Arg, xs: readonly string[]): string {
  if (isRef(a)) return xs[a.ref]!;
  if (a === undefined) return 'undefined';
  if (a === null) return 'null';
  if (typeof a === 'number') return numberLiteral(a);
  if (typeof a === 'string') return `'${a}'`;
  if (typeof a === 'boolean') return String(a);
  if (Array.isArray(a)) return `[${a.map((v) => source(v, xs)).join(', ')}]`;
  return `{ ${Object.entries(a).map(([k, v]) => `${k}: ${source(v as Arg, xs)}`).join(', ')} }`;
}

export function runCall(c: Call, xs: readonly flint.Tensor[]): flint.Tensor {
  const args = c.args.map((a) => resolve(a, xs));
  if (c.on === 'flint') return (flint as unknown as Record<string, (...a: unknown[]) => flint.Tensor>)[c.name]!(...args);
  const [self, ...rest] = args as [flint.Tensor, ...unknown[]];
  return (self as unknown as Record<string, (...a: unknown[]) => flint.Tensor>)[c.name]!(...rest);
}

export function callSource(c: Call, xs: readonly string[]): string {
  const args = c.args.map((a) => source(a, xs));
  if (c.on === 'flint') return `flint.${c.name}(${args.join(', ')})`;
  const [self, ...rest] = args;
  return `${self}.${c.name}(${rest.join(', ')})`;
}
