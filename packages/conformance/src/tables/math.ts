/** How each op of fixtures/math.json runs in flint: inputs (already on the device) and the fixture's args. */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

const F = flint.nn.functional;
const num = (args: Args, key: string): number => decodeNumber(args[key]);
/** Fixture numbers may be spelled 'inf' / '-inf' by the encoder, or arrive as JSON Infinity strings. */
const decodeNumber = (v: unknown): number => (v === 'inf' || v === Infinity ? Infinity : v === '-inf' ? -Infinity : (v as number));
const dims = (args: Args): number | number[] | undefined => args.dim as number | number[] | undefined;
const keepdim = (args: Args): boolean => (args.keepdim as boolean | undefined) ?? false;
const order = (args: Args): number => decodeNumber(args.ord ?? 2);

/** Unary ops by fixture name, also applied to transposed inputs (`unaryT`) and through 1 / f(x) (`reciprocalOf`, which shows signed zeros). */
const unary: Record<string, (x: flint.Tensor) => flint.Tensor> = {
  asin: (x) => x.asin(), acos: (x) => x.acos(), atan: (x) => x.atan(), sinh: (x) => x.sinh(), cosh: (x) => x.cosh(),
  asinh: (x) => x.asinh(), acosh: (x) => x.acosh(), atanh: (x) => x.atanh(), expm1: (x) => x.expm1(), exp2: (x) => x.exp2(),
  log2: (x) => x.log2(), log10: (x) => x.log10(), erfinv: (x) => x.erfinv(), lgamma: (x) => x.lgamma(), digamma: (x) => x.digamma(),
  trunc: (x) => x.trunc(), frac: (x) => x.frac(), sgn: (x) => x.sgn(), square: (x) => flint.square(x),
  elu: (x) => F.elu(x), eluAlpha: (x) => F.elu(x, 0.5), selu: (x) => flint.selu(x), celu: (x) => flint.celu(x, 1.5), mish: (x) => F.mish(x),
  hardtanh: (x) => F.hardtanh(x, -0.5, 2), relu6: (x) => F.relu6(x), hardswish: (x) => F.hardswish(x), hardsigmoid: (x) => F.hardsigmoid(x),
  logsigmoid: (x) => F.logsigmoid(x), softsign: (x) => F.softsign(x), tanhshrink: (x) => F.tanhshrink(x), softshrink: (x) => F.softshrink(x, 0.5),
  hardshrink: (x) => x.hardshrink(1), threshold: (x) => F.threshold(x, 0.5, -2), rreluEval: (x) => F.rrelu(x, { lower: 0.1, upper: 0.3 }),
};

/** Binary ops applied to a transposed first operand (`binaryT`). */
const binary: Record<string, (a: flint.Tensor, b: flint.Tensor) => flint.Tensor> = {
  atan2: (a, b) => a.atan2(b), fmod: (a, b) => a.fmod(b), remainder: (a, b) => a.remainder(b), floorDivide: (a, b) => a.floorDivide(b),
};

export const mathTable: Record<string, OpFn> = {
  ...Object.fromEntries(Object.entries(unary).map(([name, fn]) => [name, ([x]: flint.Tensor[]) => fn(x!)])),
  ...Object.fromEntries(Object.entries(binary).map(([name, fn]) => [name, ([a, b]: flint.Tensor[]) => fn(a!, b!)])),
  unaryT: ([x], a) => unary[a.fn as string]!(x!.mT),
  reciprocalOf: ([x], a) => unary[a.fn as string]!(x!).reciprocal(),
  binaryT: ([x, y], a) => binary[a.fn as string]!(x!.mT, y!),
  atan2Signs: ([y, x]) => flint.atan2(y!, x!).reciprocal(),
  fmodScalar: ([x], a) => flint.fmod(x!, num(a, 'other')),
  remainderScalar: ([x], a) => flint.remainder(x!, num(a, 'other')),
  floorDivideScalar: ([x], a) => flint.floorDivide(x!, num(a, 'other')),
  hypot: ([a, b]) => a!.hypot(b!),
  xlogy: ([a, b]) => a!.xlogy(b!),
  xlogyScalar: ([y], a) => flint.xlogy(num(a, 'x'), y!),
  logaddexp: ([a, b]) => a!.logaddexp(b!),
  lerp: ([s, e, w]) => s!.lerp(e!, w!),
  lerpScalar: ([s, e], a) => flint.lerp(s!, e!.expand(s!.shape), num(a, 'weight')),
  addcmul: ([x, a, b], args) => x!.addcmul(a!, b!, { value: num(args, 'value') }),
  addcdiv: ([x, a, b], args) => x!.addcdiv(a!, b!, { value: num(args, 'value') }),
  clampMin: ([x], a) => x!.clampMin(num(a, 'min')),
  clampMax: ([x], a) => x!.clampMax(num(a, 'max')),
  clampMinTensor: ([x, m]) => flint.clampMin(x!, m!),
  nanToNum: ([x], a) => x!.nanToNum({ nan: a.nan as number | undefined, posinf: a.posinf as number | undefined, neginf: a.neginf as number | undefined }),
  isinf: ([x]) => x!.isinf(), isposinf: ([x]) => x!.isposinf(), isneginf: ([x]) => x!.isneginf(),
  isclose: ([a, b], args) => a!.isclose(b!, { rtol: args.rtol as number | undefined, atol: args.atol as number | undefined, equalNan: args.equalNan as boolean | undefined }),
  nansum: ([x], a) => x!.nansum(dims(a), keepdim(a)),
  nanmean: ([x], a) => x!.nanmean(dims(a), keepdim(a)),
  countNonzero: ([x], a) => x!.countNonzero(dims(a)),
  aminmax: ([x], a) => {
    const { min, max } = x!.aminmax({ dim: a.dim as number | undefined, keepdim: keepdim(a) });
    return flint.stack([min, max]);
  },
  stdMean: ([x], a) => flint.stack(flint.stdMean(x!, dims(a), { correction: num(a, 'correction') })),
  varMean: ([x], a) => flint.stack(flint.varMean(x!, dims(a), { correction: num(a, 'correction') })),
  vectorNorm: ([x], a) => flint.linalg.vectorNorm(x!, order(a), { dim: dims(a), keepdim: keepdim(a) }),
  vectorNormT: ([x], a) => flint.linalg.vectorNorm(x!.mT, order(a), { dim: dims(a) }),
  matrixNorm: ([x], a) => {
    const ord = a.ord === 'fro' || a.ord === 'nuc' ? a.ord : decodeNumber(a.ord);
    return flint.linalg.matrixNorm(x!, ord, { dim: a.dim as [number, number] | undefined, keepdim: keepdim(a) });
  },
  norm: ([x], a) => x!.norm(a.p === undefined || a.p === 'fro' || a.p === 'nuc' ? (a.p as 'fro' | 'nuc' | undefined) : num(a, 'p'), dims(a), keepdim(a)),
  svdvals: ([x]) => flint.linalg.svdvals(x!),
  dist: ([a, b], args) => a!.dist(b!, num(args, 'p')),
  cdist: ([a, b], args) => flint.cdist(a!, b!, num(args, 'p')),
  normalize: ([x], a) => F.normalize(x!, { p: a.p as number | undefined, dim: a.dim as number | undefined }),
  prelu: ([x, w]) => x!.prelu(w!),
  glu: ([x], a) => F.glu(x!, num(a, 'dim')),
  softmin: ([x], a) => F.softmin(x!, num(a, 'dim')),
};
