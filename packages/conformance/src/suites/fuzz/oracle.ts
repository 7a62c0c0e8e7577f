/**
 * Host computations independent of every backend, for checking the reference backend itself:
 * elementwise ops in float64 rounded once to float32 (`Math.fround`), and comparisons.
 */
import { numel, type HostTensor } from './values.ts';

export type Oracle = (inputs: readonly HostTensor[]) => HostTensor;

const f = Math.fround;
const unaryMath: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  square: (x) => x * x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  silu: (x) => x / (1 + Math.exp(-x)),
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
  isfinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

export function unaryOracle(name: string): Oracle | undefined {
  const fn = unaryMath[name];
  if (!fn) return undefined;
  const dtype = name === 'isnan' || name === 'isfinite' ? 'bool' : 'float32';
  return ([x]) => ({ shape: x!.shape, dtype, data: x!.data.map((v) => f(fn(v))) });
}

function broadcast(inputs: readonly HostTensor[], dtype: HostTensor['dtype'], fn: (a: number, b: number) => number): HostTensor {
  const [a, b] = inputs as [HostTensor, HostTensor];
  const rank = Math.max(a.shape.length, b.shape.length);
  const pad = (s: readonly number[]) => [...Array<number>(rank - s.length).fill(1), ...s];
  const [pa, pb] = [pad(a.shape), pad(b.shape)];
  const shape = pa.map((n, i) => (n === 1 ? pb[i]! : n));
  const at = (padded: number[], flat: number) => {
    let offset = 0;
    let stride = 1;
    let rest = flat;
    const coords = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      coords[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    for (let d = rank - 1; d >= 0; d--) {
      offset += (padded[d] === 1 ? 0 : coords[d]!) * stride;
      stride *= padded[d]!;
    }
    return offset;
  };
  const data = Array.from({ length: numel(shape) }, (_, i) => fn(a.data[at(pa, i)]!, b.data[at(pb, i)]!));
  return { shape, dtype, data };
}

const binaryMath: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => f(a + b),
  sub: (a, b) => f(a - b),
  mul: (a, b) => f(a * b),
  div: (a, b) => f(a / b),
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
};

/** For float32 inputs; `scalar` replaces the second input. */
export function binaryOracle(name: string, scalar?: number): Oracle | undefined {
  const fn = binaryMath[name];
  if (!fn) return undefined;
  return (inputs) => {
    const b: HostTensor = scalar === undefined ? inputs[1]! : { shape: [], dtype: 'float32', data: [f(scalar)] };
    return broadcast([inputs[0]!, b], 'float32', fn);
  };
}

const compareMath: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

export function compareOracle(name: string): Oracle {
  const fn = compareMath[name]!;
  return (inputs) => broadcast(inputs, 'bool', (a, b) => (fn(a, b) ? 1 : 0));
}
