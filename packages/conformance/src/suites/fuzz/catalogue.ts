/**
 * The op catalogue: each family draws one valid call with its inputs from the case's random
 * stream. Families cover elementwise ops with broadcasting and scalars, comparisons, where,
 * reductions, softmax, matmul, conv2d, pooling, gather/scatterAdd, joins, in-place ops, with view
 * chains on inputs, empty and size-1 dims, edge values, int32 and bool.
 */
import { ref, type Arg, type Call } from './call.ts';
import { binaryMath, compareMath, intBinaryMath, intUnaryMath, unaryMath } from './host-math.ts';
import * as host from './host-ops.ts';
import { expand, scalar, zipWith } from './host-tensor.ts';
import { CaseRandom } from './random.ts';
import { numel, patternFloats, randomBools, randomFloats, randomInts, randomShape, type HostTensor, type ValueStyle } from './values.ts';
import { randomChain, type ViewChain } from './views.ts';

/** One input: host data for the base tensor, an optional view of it, whether it gets a gradient. */
export interface CaseInput {
  readonly host: HostTensor;
  readonly view?: ViewChain;
  readonly grad: boolean;
}

/** The tolerance family of a case (see compare.ts). */
export type Family = 'exact' | 'elementwise' | 'transcendental' | 'bounded' | 'reduction' | 'matmul' | 'conv';

export interface FuzzCase {
  readonly index: number;
  /** The catalogue entry and op, e.g. 'unary exp': failures are grouped by it. */
  readonly op: string;
  readonly family: Family;
  readonly inputs: readonly CaseInput[];
  readonly call: Call;
  /** Magnitude of the terms a reduction-like op sums (scales its absolute tolerance). */
  readonly scale: number;
  /**
   * How many terms a long reduction sums: its tolerance then grows as sqrt(terms), as the error of
   * a pairwise or compensated float32 sum does, not as `scale` (a plain running sum's worst case).
   */
  readonly terms?: number;
  /** Rows too long to print: inputs and gradient weights have closed forms. */
  readonly longRow?: boolean;
  /** A bound on the magnitude of any partial result (`scale` when not given): past float32 max, order decides overflow. */
  readonly partials?: number;
  /**
   * The result computed on the host in float64 from the viewed inputs, independent of every
   * backend: checks the reference backend itself, and its gradients by finite differences.
   */
  readonly host: (xs: readonly HostTensor[]) => HostTensor;
  /** An in-place op: the result checked is input 0's base tensor after the call wrote through its view. */
  readonly inPlace?: boolean;
  /**
   * The backward cancels terms no single output depends on (softmax's `g - p * sum(g)`, var's
   * `x - mean`), so its float32 error scales with the loss, not with the gradient.
   */
  readonly cancels?: boolean;
  /** An absolute tolerance for ops only absolutely accurate (per unit of `w` for gradients). */
  readonly absolute?: number;
}

/** A host computation of a case from its viewed inputs. */
export type HostOp = FuzzCase['host'];

type Draft = Omit<FuzzCase, 'index' | 'scale'> & { scale?: number };

const style = (r: CaseRandom): ValueStyle => r.pick(['plain', 'plain', 'moderate', 'wide', 'edge'] as const);
const floatIn = (r: CaseRandom, shape: readonly number[], s: ValueStyle = style(r), writable = false, grad = true): CaseInput => {
  const view = r.chance(0.35) ? randomChain(r, shape, writable) : undefined;
  return { host: randomFloats(r, view?.baseShape ?? shape, s), view, grad };
};
const maxAbs = (inputs: readonly CaseInput[]): number =>
  inputs.reduce((m, i) => i.host.data.reduce((a, v) => (Number.isFinite(v) ? Math.max(a, Math.abs(v)) : a), m), 0);

/** A scalar operand as the backends see it: float32-rounded, or an int32. */
const scalarOperand = (v: number, dtype: HostTensor['dtype']): HostTensor => scalar(dtype === 'int32' ? v : Math.fround(v), dtype);

/**
 * clamp: a NaN bound or input gives NaN, lo > hi gives hi. (torch 1.13 alone ignores a NaN lower
 * bound given without an upper one; with both bounds, or an upper one, NaN propagates there too.)
 */
const clampOf = (lo: number | null, hi: number | null) => (x: number): number => {
  if ((lo !== null && Number.isNaN(lo)) || (hi !== null && Number.isNaN(hi))) return NaN;
  if (Number.isNaN(x)) return NaN;
  return Math.min(Math.max(x, lo ?? -Infinity), hi ?? Infinity);
};

function reductionHost(name: string, ints: boolean, dim: number | undefined, keepdim: boolean, correction: number): HostOp {
  if (name === 'cumsum' || name === 'softmax' || name === 'logSoftmax') return ([x]) => host.scan(x!, dim!, host.lineScan(name, ints));
  const dtype: HostTensor['dtype'] = name === 'all' || name === 'any' ? 'bool' : name.startsWith('arg') || ints ? 'int32' : 'float32';
  const line = ints ? host.intLineReduction(name) : host.lineReduction(name, correction);
  // Called without a dim, only var/std are given keepdim.
  const needsElements = ['amax', 'amin', 'argmax', 'argmin'].includes(name) ? name : undefined;
  return ([x]) => host.reduce(x!, dim, keepdim && (dim !== undefined || name === 'var' || name === 'std'), dtype, line, needsElements);
}

/** [op, how it is called, family, whether smooth enough to differentiate, value style it needs]. */
const unaryOps: ReadonlyArray<[string, (x: Arg) => Call, Family, boolean, ValueStyle?]> = [
  ['neg', (x) => ({ on: 'method', name: 'neg', args: [x] }), 'exact', true],
  ['abs', (x) => ({ on: 'method', name: 'abs', args: [x] }), 'exact', true],
  ['sign', (x) => ({ on: 'method', name: 'sign', args: [x] }), 'exact', false],
  ['floor', (x) => ({ on: 'method', name: 'floor', args: [x] }), 'exact', false],
  ['ceil', (x) => ({ on: 'method', name: 'ceil', args: [x] }), 'exact', false],
  ['round', (x) => ({ on: 'method', name: 'round', args: [x] }), 'exact', false],
  ['square', (x) => ({ on: 'method', name: 'square', args: [x] }), 'elementwise', true],
  ['exp', (x) => ({ on: 'method', name: 'exp', args: [x] }), 'transcendental', true],
  ['log', (x) => ({ on: 'method', name: 'log', args: [x] }), 'transcendental', true, 'positive'],
  ['log1p', (x) => ({ on: 'flint', name: 'log1p', args: [x] }), 'transcendental', true],
  ['sqrt', (x) => ({ on: 'method', name: 'sqrt', args: [x] }), 'transcendental', true, 'positive'],
  ['rsqrt', (x) => ({ on: 'method', name: 'rsqrt', args: [x] }), 'transcendental', true, 'positive'],
  ['reciprocal', (x) => ({ on: 'method', name: 'reciprocal', args: [x] }), 'transcendental', true],
  ['sin', (x) => ({ on: 'method', name: 'sin', args: [x] }), 'bounded', true],
  ['cos', (x) => ({ on: 'method', name: 'cos', args: [x] }), 'bounded', true],
  ['tanh', (x) => ({ on: 'method', name: 'tanh', args: [x] }), 'bounded', true],
  ['sigmoid', (x) => ({ on: 'method', name: 'sigmoid', args: [x] }), 'transcendental', true],
  ['relu', (x) => ({ on: 'method', name: 'relu', args: [x] }), 'exact', true],
  ['erf', (x) => ({ on: 'flint', name: 'erf', args: [x] }), 'bounded', true],
  ['gelu', (x) => ({ on: 'flint', name: 'gelu', args: [x] }), 'transcendental', true],
  ['geluTanh', (x) => ({ on: 'flint', name: 'gelu', args: [x, { approximate: 'tanh' }] }), 'transcendental', true],
  ['silu', (x) => ({ on: 'flint', name: 'silu', args: [x] }), 'transcendental', true],
  ['softplus', (x) => ({ on: 'flint', name: 'softplus', args: [x] }), 'transcendental', true],
  ['leakyRelu', (x) => ({ on: 'flint', name: 'leakyRelu', args: [x, 0.1] }), 'elementwise', true],
  ['isnan', (x) => ({ on: 'method', name: 'isnan', args: [x] }), 'exact', false],
  ['isfinite', (x) => ({ on: 'method', name: 'isfinite', args: [x] }), 'exact', false],
];

function unary(r: CaseRandom): Draft {
  const [name, call, family, smooth, needs] = r.pick(unaryOps);
  const shape = randomShape(r, r.int(0, 3));
  const s = needs && r.chance(0.7) ? needs : style(r);
  const ints = name in intUnaryMath && r.chance(0.25);
  const x: CaseInput = ints ? { host: randomInts(r, shape, -50, 50, true), grad: false } : floatIn(r, shape, s, false, smooth);
  const fn = ints ? intUnaryMath[name]! : unaryMath[name]!;
  const dtype = name === 'isnan' || name === 'isfinite' ? 'bool' : ints ? 'int32' : 'float32';
  // gelu is x * (1 + erf(x / sqrt 2)) / 2 in torch: for x < -5 the sum cancels, so it (and its
  // derivative) is accurate to about 1e-7 absolute, not relative (torch: gelu(-9.78) = 0, not -6.9e-22).
  const absolute = name.startsWith('gelu') ? 2e-7 : undefined;
  return { op: `unary ${name}${ints ? ' int32' : ''}`, family, inputs: [x], call: call(ref(0)), host: ([v]) => zipWith([v!], dtype, fn), absolute };
}

/** Two shapes that broadcast to a common one: dims set to 1 or leading dims dropped. */
function broadcastPair(r: CaseRandom): [number[], number[], number[]] {
  const out = randomShape(r, r.int(0, 3));
  const thin = (): number[] => {
    const s = out.map((n) => (r.chance(0.25) ? 1 : n));
    return r.chance(0.2) ? s.slice(r.int(0, s.length)) : s;
  };
  return [thin(), thin(), out];
}

const binaryOps = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'addAlpha'] as const;
const intBinaryOps = new Set(['add', 'sub', 'mul', 'maximum', 'minimum']);

function binary(r: CaseRandom): Draft {
  const name = r.pick(binaryOps);
  const [sa, sb] = broadcastPair(r);
  const ints = intBinaryOps.has(name) && r.chance(0.2);
  const alpha = r.pick([2, -1, 0.5]);
  const s = name === 'pow' ? r.pick(['positive', 'plain', 'edge'] as const) : style(r);
  const a: CaseInput = ints ? { host: randomInts(r, sa, -50, 50, true), grad: false } : floatIn(r, sa, s);
  const scalar = r.chance(0.25);
  const bValue = ints ? r.int(-5, 5) : name === 'pow' ? r.pick([2, 0.5, -1, 3, 0]) : r.pick([2, -0.5, 0, NaN, Infinity, 1e-38]);
  const b: CaseInput = ints ? { host: randomInts(r, sb, -50, 50, true), grad: false } : floatIn(r, sb, name === 'pow' ? 'plain' : s);
  const other: Arg = scalar ? bValue : ref(1);
  const call: Call = name === 'addAlpha' ? { on: 'method', name: 'add', args: [ref(0), other, { alpha }] } : { on: 'method', name, args: [ref(0), other] };
  const family: Family = name === 'pow' ? 'transcendental' : name === 'div' ? 'transcendental' : 'elementwise';
  const fn = ints ? intBinaryMath[name]! : (x: number, y: number) => binaryMath[name]!(x, y, alpha);
  const dtype = ints ? 'int32' : 'float32';
  return {
    op: `binary ${name}${scalar ? ' scalar' : ''}${ints ? ' int32' : ''}`, family, inputs: scalar ? [a] : [a, b], call,
    host: ([x, y]) => zipWith([x!, scalar ? scalarOperand(bValue, dtype) : y!], dtype, fn),
  };
}

const compareOps = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr'] as const;

function comparison(r: CaseRandom): Draft {
  const name = r.pick(compareOps);
  const [sa, sb] = broadcastPair(r);
  const kind = r.pick(['float32', 'int32', 'bool'] as const);
  const make = (shape: number[]): CaseInput =>
    kind === 'float32' ? { host: randomFloats(r, shape, r.pick(['edge', 'plain'] as const)), grad: false } : kind === 'int32' ? { host: randomInts(r, shape, -3, 3, true), grad: false } : { host: randomBools(r, shape), grad: false };
  const a = make(sa);
  const b = make(sb);
  // Many equal pairs, so eq/le/ge see ties.
  if (kind !== 'bool' && numel(sa) === numel(sb) && r.chance(0.3)) b.host.data.forEach((_, i) => ((b.host.data as number[])[i] = a.host.data[i]!));
  const fn = compareMath[name]!;
  return { op: `compare ${name} ${kind}`, family: 'exact', inputs: [a, b], call: { on: 'method', name, args: [ref(0), ref(1)] }, host: (xs) => zipWith(xs, 'bool', (x, y) => (fn(x!, y!) ? 1 : 0)) };
}

function whereCase(r: CaseRandom): Draft {
  const [sa, sb] = broadcastPair(r);
  const cond: CaseInput = { host: randomBools(r, r.chance(0.5) ? sa : sb), grad: false };
  const scalarA = r.chance(0.25);
  const scalarB = r.chance(0.25);
  // An input a scalar replaces takes no gradient.
  const a = floatIn(r, sa, style(r), false, !scalarA);
  const b = floatIn(r, sb, style(r), false, !scalarB);
  const aValue = r.pick([0, 1.5, NaN, -Infinity]);
  const bValue = r.pick([0, -2, NaN, Infinity]);
  // Two integer scalars make an integer result, as in torch.
  const dtype = scalarA && scalarB && Number.isInteger(aValue) && Number.isInteger(bValue) ? 'int32' : 'float32';
  const aArg: Arg = scalarA ? aValue : ref(1);
  const bArg: Arg = scalarB ? bValue : ref(2);
  return {
    op: `where${scalarA ? ' scalar-a' : ''}${scalarB ? ' scalar-b' : ''}`, family: 'exact', inputs: [cond, a, b], call: { on: 'flint', name: 'where', args: [ref(0), aArg, bArg] },
    host: ([c, x, y]) => zipWith([c!, scalarA ? scalar(aValue) : x!, scalarB ? scalar(bValue) : y!], dtype, (k, u, v) => (k ? u! : v!)),
  };
}

function clampCase(r: CaseRandom): Draft {
  const shape = randomShape(r, r.int(0, 3));
  const lo = r.chance(0.8) ? r.pick([-1, 0, -0.5, NaN]) : null;
  const hi = lo === null || r.chance(0.6) ? r.pick([1, 2, 0.25]) : null;
  return { op: 'clamp', family: 'exact', inputs: [floatIn(r, shape)], call: { on: 'method', name: 'clamp', args: [ref(0), lo, hi] }, host: ([x]) => zipWith([x!], 'float32', clampOf(lo, hi)) };
}

const reductionOps = ['sum', 'mean', 'prod', 'amax', 'amin', 'var', 'std', 'logsumexp', 'cumsum', 'argmax', 'argmin', 'all', 'any', 'softmax', 'logSoftmax'] as const;
/** Ops whose dim may be omitted (a reduction over everything). */
const dimOptional = new Set(['sum', 'mean', 'prod', 'amax', 'amin', 'var', 'std', 'argmax', 'argmin', 'all', 'any']);
const noKeepdim = new Set(['cumsum', 'softmax', 'logSoftmax', 'var', 'std']);
const intReductions = new Set(['sum', 'prod', 'amax', 'amin', 'cumsum', 'argmax', 'argmin']);

function reduction(r: CaseRandom): Draft {
  const name = r.pick(reductionOps);
  const rank = r.int(0, 3);
  const shape = randomShape(r, rank);
  const logical = name === 'all' || name === 'any';
  const ints = !logical && intReductions.has(name) && r.chance(0.2);
  const x: CaseInput = logical ? { host: randomBools(r, shape), grad: false } : ints ? { host: randomInts(r, shape, -20, 20), grad: false } : floatIn(r, shape, style(r), false, !name.startsWith('arg'));
  const dim = rank === 0 ? (r.chance(0.5) ? 0 : -1) : r.int(-rank, rank - 1);
  const omitDim = dimOptional.has(name) && r.chance(0.25);
  const keepdim = r.chance(0.4);
  const args: Arg[] = [ref(0)];
  const correction = r.pick([0, 1]);
  if (name === 'var' || name === 'std') args.push(omitDim ? undefined : dim, { correction, keepdim });
  else if (noKeepdim.has(name)) args.push(dim);
  else if (!omitDim) args.push(dim, keepdim);
  const line = rank === 0 ? 1 : omitDim ? numel(shape) : shape[(dim + rank) % rank]!;
  const family: Family = name.startsWith('arg') || logical ? 'exact' : name === 'amax' || name === 'amin' ? 'exact' : 'reduction';
  return {
    op: `reduce ${name}${ints ? ' int32' : ''}${omitDim ? ' all' : ''}`, family, inputs: [x], call: { on: 'method', name, args }, scale: name === 'prod' ? 0 : line * maxAbs([x]), terms: line,
    partials: name === 'prod' ? Math.max(maxAbs([x]), 1) ** line : undefined,
    host: reductionHost(name, ints, omitDim ? undefined : dim, keepdim, correction), cancels: ['softmax', 'logSoftmax', 'var', 'std'].includes(name),
  };
}

const longRowOps = ['cumsum', 'sum', 'mean', 'logsumexp', 'softmax', 'logSoftmax', 'var'] as const;

/** Reductions and scans along rows of 1,000 to 100,000 elements, where float32 accumulation error shows. */
function longRow(r: CaseRandom): Draft {
  const name = r.pick(longRowOps);
  const n = Math.round(10 ** (3 + 2 * r.next()));
  const shape = r.chance(0.5) ? [n] : [2, n];
  const x: CaseInput = { host: patternFloats(shape), grad: true };
  const args: Arg[] = name === 'var' ? [ref(0), -1, { correction: 1, keepdim: false }] : [ref(0), -1];
  return {
    op: `long ${name}`, family: 'reduction', inputs: [x], call: { on: 'method', name, args }, scale: n * maxAbs([x]), terms: n,
    host: reductionHost(name, false, -1, false, 1), cancels: name === 'softmax' || name === 'logSoftmax' || name === 'var', longRow: true,
  };
}

function matmulCase(r: CaseRandom): Draft {
  const k = r.chance(0.05) ? 0 : r.int(1, 6);
  const vecA = r.chance(0.2);
  const vecB = r.chance(0.2);
  const batch = r.chance(0.4) ? randomShape(r, r.int(1, 2), false) : [];
  const m = r.int(1, 5);
  const n = r.int(1, 5);
  const aShape = vecA ? [k] : [...batch, m, k];
  const bShape = vecB ? [k] : [...(r.chance(0.5) ? batch.map((d) => (r.chance(0.3) ? 1 : d)) : []), k, n];
  const s = r.pick(['plain', 'plain', 'edge'] as const);
  const a = floatIn(r, aShape, s);
  const b = floatIn(r, bShape, s);
  return { op: 'matmul', family: 'matmul', inputs: [a, b], call: { on: 'method', name: 'matmul', args: [ref(0), ref(1)] }, scale: k * maxAbs([a]) * maxAbs([b]), host: ([x, y]) => host.matmul(x!, y!) };
}

function conv(r: CaseRandom): Draft {
  const groups = r.pick([1, 1, 2]);
  const cin = groups * r.int(1, 2);
  const cout = groups * r.int(1, 2);
  const [kh, kw] = [r.int(1, 3), r.int(1, 3)];
  const stride: [number, number] = [r.int(1, 2), r.int(1, 2)];
  const dilation: [number, number] = [r.int(1, 2), r.int(1, 2)];
  const padding: [number, number] = [r.int(0, 2), r.int(0, 2)];
  const span = (k: number, d: number, p: number) => Math.max(1, d * (k - 1) + 1 - 2 * p);
  const x = floatIn(r, [r.int(1, 2), cin, span(kh, dilation[0], padding[0]) + r.int(0, 4), span(kw, dilation[1], padding[1]) + r.int(0, 4)], r.pick(['plain', 'plain', 'edge'] as const));
  const w = floatIn(r, [cout, cin / groups, kh, kw], r.pick(['plain', 'plain', 'edge'] as const));
  const bias = r.chance(0.5) ? floatIn(r, [cout], 'plain') : undefined;
  const inputs = bias ? [x, w, bias] : [x, w];
  return {
    op: 'conv2d', family: 'conv', inputs,
    call: { on: 'flint', name: 'conv2d', args: [ref(0), ref(1), bias ? ref(2) : null, { stride, padding, dilation, groups }] },
    scale: (cin / groups) * kh * kw * maxAbs([x]) * maxAbs([w]) + maxAbs(bias ? [bias] : []),
    host: ([xs, ws, bs]) => host.conv2d(xs!, ws!, bs, { stride, padding, dilation, groups }),
  };
}

function pool(r: CaseRandom): Draft {
  const max = r.chance(0.5);
  const k: [number, number] = [r.int(1, 3), r.int(1, 3)];
  const stride: [number, number] = [r.int(1, 3), r.int(1, 3)];
  const padding: [number, number] = [r.int(0, Math.floor(k[0] / 2)), r.int(0, Math.floor(k[1] / 2))];
  const dilation: [number, number] = max ? [r.int(1, 2), r.int(1, 2)] : [1, 1];
  // flint's avgPool2d rejects ceilMode (a documented limitation), so only maxPool2d draws it.
  const ceilMode = max && r.chance(0.3);
  const x = floatIn(r, [r.int(1, 2), r.int(1, 3), dilation[0] * (k[0] - 1) + 1 + r.int(0, 4), dilation[1] * (k[1] - 1) + 1 + r.int(0, 4)]);
  const countIncludePad = r.chance(0.5);
  const options: Arg = max ? { stride, padding, dilation, ceilMode } : { stride, padding, countIncludePad };
  const pooling = { kernel: k, stride, padding, dilation, ceilMode };
  return {
    op: max ? 'maxPool2d' : 'avgPool2d', family: max ? 'exact' : 'conv', inputs: [x], call: { on: 'flint', name: max ? 'maxPool2d' : 'avgPool2d', args: [ref(0), k, options] }, scale: k[0] * k[1] * maxAbs([x]),
    host: ([v]) => (max ? host.maxPool2d(v!, pooling) : host.avgPool2d(v!, pooling, countIncludePad)),
  };
}

function indexing(r: CaseRandom): Draft {
  const rank = r.int(1, 3);
  const shape = randomShape(r, rank, false);
  const dim = r.int(0, rank - 1);
  const scatter = r.chance(0.5);
  const indexShape = shape.map((n, i) => (i === dim ? r.int(0, 4) : r.int(n > 0 ? 1 : 0, n)));
  const index: CaseInput = { host: randomInts(r, indexShape, 0, shape[dim]! - 1), grad: false };
  const x = floatIn(r, shape);
  if (!scatter) return { op: 'gather', family: 'exact', inputs: [x, index], call: { on: 'method', name: 'gather', args: [ref(0), dim, ref(1)] }, host: ([v, i]) => host.gather(v!, dim, i!) };
  // flint requires src to have the index's shape (torch allows larger): a documented limitation.
  const src = floatIn(r, indexShape);
  return {
    op: 'scatterAdd', family: 'reduction', inputs: [x, index, src], call: { on: 'method', name: 'scatterAdd', args: [ref(0), dim, ref(1), ref(2)] }, scale: indexShape[dim]! * maxAbs([x, src]),
    host: ([v, i, u]) => host.scatterAdd(v!, dim, i!, u!),
  };
}

function join(r: CaseRandom): Draft {
  const isStack = r.chance(0.4);
  const rank = r.int(isStack ? 0 : 1, 3);
  const shape = randomShape(r, rank);
  const dim = isStack ? r.int(-rank - 1, rank) : r.int(-rank, rank - 1);
  const count = r.int(1, 3);
  const ints = r.chance(0.15);
  const inputs = Array.from({ length: count }, (): CaseInput => {
    const s = [...shape];
    if (!isStack) s[(dim + rank) % rank] = r.int(0, 3);
    return ints ? { host: randomInts(r, s, -9, 9, true), grad: false } : floatIn(r, s);
  });
  return {
    op: `${isStack ? 'stack' : 'cat'}${ints ? ' int32' : ''}`, family: 'exact', inputs, call: { on: 'flint', name: isStack ? 'stack' : 'cat', args: [inputs.map((_, i) => ref(i)), dim] },
    host: (xs) => (isStack ? host.stack(xs, dim) : host.cat(xs, dim)),
  };
}

const inPlaceOps = ['add_', 'sub_', 'mul_', 'div_', 'clamp_', 'copy_', 'fill_', 'zero_', 'addAlpha_'] as const;
const inPlaceArithmetic: Record<string, string> = { add_: 'add', sub_: 'sub', mul_: 'mul', div_: 'div', addAlpha_: 'addAlpha' };

/** An in-place op writing through a view (never expand: its elements overlap) of a fresh tensor. */
function inPlace(r: CaseRandom): Draft {
  const name = r.pick(inPlaceOps);
  // The target has the full shape; the operand broadcasts to it.
  const [, sb, out] = broadcastPair(r);
  const target = floatIn(r, out, style(r), true, false);
  const other = floatIn(r, name === 'copy_' ? out.slice(r.int(0, out.length)) : sb, style(r), false, true);
  const scalarOperand = r.chance(0.3);
  const value = r.pick([2, -0.5, 0, NaN]);
  const operand: Arg = scalarOperand ? value : ref(1);
  const [lo, hi, fillValue, alpha] = [r.pick([-1, 0]), r.pick([1, 0.5]), r.pick([3, NaN, -0]), r.pick([2, -1])];
  const args: Arg[] =
    name === 'clamp_' ? [ref(0), lo, hi]
    : name === 'fill_' ? [ref(0), fillValue]
    : name === 'zero_' ? [ref(0)]
    : name === 'addAlpha_' ? [ref(0), operand, { alpha }]
    : name === 'copy_' ? [ref(0), ref(1)]
    : [ref(0), operand];
  const uses = args.some((a) => typeof a === 'object' && a !== null && 'ref' in a && a.ref === 1);
  const arithmetic = inPlaceArithmetic[name];
  const hostOp: HostOp = ([t, o]) => {
    if (name === 'clamp_') return zipWith([t!], 'float32', clampOf(lo, hi));
    if (name === 'fill_' || name === 'zero_') return zipWith([t!], 'float32', () => (name === 'fill_' ? fillValue : 0));
    if (name === 'copy_') return expand(o!, t!.shape);
    return zipWith([t!, scalarOperand ? scalar(Math.fround(value)) : o!], 'float32', (x, y) => binaryMath[arithmetic!]!(x!, y!, alpha));
  };
  return { op: `inplace ${name}`, family: 'elementwise', inputs: uses ? [target, other] : [target], call: { on: 'method', name: name === 'addAlpha_' ? 'add_' : name, args }, host: hostOp, inPlace: true };
}

/** The families, weighted by how many distinct behaviours each has. */
const families: ReadonlyArray<[number, (r: CaseRandom) => Draft]> = [
  [5, unary], [4, binary], [2, comparison], [1, whereCase], [1, clampCase], [5, reduction], [1, longRow], [2, matmulCase], [2, conv], [2, pool], [2, indexing], [1, join], [2, inPlace],
];
const totalWeight = families.reduce((a, [w]) => a + w, 0);

/** The case numbered `index` of the run seeded `seed`: the same on every backend and every run. */
export function generateCase(seed: number, index: number): FuzzCase {
  const r = new CaseRandom(seed, index);
  let pick = r.next() * totalWeight;
  const [, family] = families.find(([w]) => (pick -= w) < 0) ?? families[0]!;
  const draft = family(r);
  return { ...draft, index, scale: draft.scale ?? 0 };
}
