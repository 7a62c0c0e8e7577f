/** How each op of fixtures/ops.json runs in flint: inputs (already on the device) and the fixture's args. */
import * as flint from '@flint/core';

export type Args = Record<string, unknown>;
export type OpFn = (inputs: flint.Tensor[], args: Args) => flint.Tensor;

const num = (args: Args, key: string): number => args[key] as number;
const dimArgs = (args: Args): [number | number[] | undefined, boolean] => [args.dim as number | number[] | undefined, (args.keepdim as boolean) ?? false];
const pool = (args: Args) => ({
  stride: args.stride as number | [number, number] | undefined,
  padding: (args.padding as number | [number, number] | undefined) ?? 0,
  dilation: (args.dilation as number | [number, number] | undefined) ?? 1,
  ceilMode: (args.ceilMode as boolean | undefined) ?? false,
});

export const opsTable: Record<string, OpFn> = {
  neg: ([x]) => x!.neg(), abs: ([x]) => x!.abs(), exp: ([x]) => x!.exp(), log: ([x]) => x!.log(), log1p: ([x]) => x!.log1p(),
  sqrt: ([x]) => x!.sqrt(), rsqrt: ([x]) => x!.rsqrt(), reciprocal: ([x]) => x!.reciprocal(), sin: ([x]) => x!.sin(), cos: ([x]) => x!.cos(),
  tanh: ([x]) => x!.tanh(), sigmoid: ([x]) => x!.sigmoid(), relu: ([x]) => x!.relu(), erf: ([x]) => flint.erf(x!), erfc: ([x]) => flint.erfc(x!),
  sign: ([x]) => x!.sign(), floor: ([x]) => x!.floor(), ceil: ([x]) => x!.ceil(), round: ([x]) => x!.round(),
  silu: ([x]) => flint.silu(x!), gelu: ([x]) => flint.gelu(x!), geluTanh: ([x]) => flint.gelu(x!, { approximate: 'tanh' }),
  softplus: ([x], a) => flint.softplus(x!, { beta: a.beta as number | undefined, threshold: a.threshold as number | undefined }),
  leakyRelu: ([x]) => flint.leakyRelu(x!, 0.1),
  clamp: ([x], a) => x!.clamp(num(a, 'min'), num(a, 'max')),
  add: ([a, b]) => a!.add(b!), sub: ([a, b]) => a!.sub(b!), mul: ([a, b]) => a!.mul(b!), div: ([a, b]) => a!.div(b!),
  maximum: ([a, b]) => a!.maximum(b!), minimum: ([a, b]) => a!.minimum(b!), pow: ([a, b]) => a!.pow(b!),
  powScalar: ([x], a) => x!.pow(num(a, 'exponent')),
  addAlpha: ([a, b], args) => a!.add(b!, { alpha: num(args, 'alpha') }),
  rsubScalar: ([x], a) => flint.sub(num(a, 'scalar'), x!),
  where: ([a, b]) => flint.where(a!.gt(0), a!, b!),
  sum: ([x], a) => x!.sum(...dimArgs(a)),
  mean: ([x], a) => x!.mean(...dimArgs(a)),
  var: ([x], a) => x!.var(a.dim as number | undefined, { keepdim: (a.keepdim as boolean) ?? false }),
  std: ([x], a) => x!.std(num(a, 'dim'), { correction: num(a, 'correction') }),
  amax: ([x], a) => x!.amax(...dimArgs(a)),
  maxValues: ([x], a) => x!.max(num(a, 'dim')).values,
  minValues: ([x], a) => x!.min(num(a, 'dim')).values,
  maxAll: ([x]) => x!.max(),
  argmax: ([x], a) => x!.argmax(num(a, 'dim')),
  argmin: ([x], a) => x!.argmin(num(a, 'dim')),
  prod: ([x], a) => x!.prod(num(a, 'dim')),
  logsumexp: ([x], a) => x!.logsumexp(num(a, 'dim')),
  softmax: ([x], a) => x!.softmax(num(a, 'dim')),
  logSoftmax: ([x], a) => x!.logSoftmax(num(a, 'dim')),
  cumsum: ([x], a) => x!.cumsum(num(a, 'dim')),
  permuteMul: ([x]) => x!.permute(2, 0, 1).mul(flint.arange(3, { dtype: 'float32', device: x!.device }).reshape(1, 1, 3)),
  transposeReshape: ([x]) => x!.transpose(0, 2).reshape(4, 6),
  sliceStep: ([x]) => x!.index(':', [1, null], [null, null, 2]).mul(2),
  expandSum: ([x]) => x!.expand(3, 4).mul(fixedWeight(x!.device)),
  cat: (xs, a) => flint.cat(xs, num(a, 'dim')),
  stack: (xs, a) => flint.stack(xs, num(a, 'dim')),
  matmul: ([a, b]) => a!.matmul(b!),
  matmulT: ([a, b]) => a!.matmul(b!.T),
  conv2d: ([x, w, b], a) =>
    flint.conv2d(x!, w!, b, { stride: a.stride as number, padding: a.padding as number, dilation: a.dilation as number, groups: a.groups as number }),
  maxPool2d: ([x], a) => flint.maxPool2d(x!, a.kernel as number, pool(a)),
  avgPool2d: ([x], a) =>
    flint.avgPool2d(x!, a.kernel as number | [number, number], {
      stride: a.stride as number | [number, number] | undefined, padding: pool(a).padding, ceilMode: a.ceilMode as boolean | undefined,
      countIncludePad: (a.countIncludePad as boolean) ?? true, divisorOverride: a.divisorOverride as number | undefined,
    }),
  maxPool1d: ([x], { kernel, ...o }) => flint.maxPool1d(x!, kernel as number, o as flint.nn.functional.MaxPool1dOptions),
  avgPool1d: ([x], { kernel, ...o }) => flint.avgPool1d(x!, kernel as number, o as flint.nn.functional.AvgPool1dOptions),
  maxUnpool2d: ([x, i], { kernel, ...o }) => flint.nn.functional.maxUnpool2d(x!, i!, kernel as number, o as flint.nn.functional.MaxUnpool2dOptions),
  adaptiveMaxPool2d: ([x], a) => flint.nn.functional.adaptiveMaxPool2d(x!, a.size as [number | null, number | null]),
  adaptiveMaxPool2dIndices: ([x], a) => flint.nn.functional.adaptiveMaxPool2d(x!, a.size as [number | null, number | null], true).indices,
  adaptiveAvgPool1d: ([x], a) => flint.adaptiveAvgPool1d(x!, a.size as number),
  adaptiveAvgPool2d: ([x], a) => flint.adaptiveAvgPool2d(x!, a.size as [number, number]),
  gather: ([x, i], a) => x!.gather(num(a, 'dim'), i!),
  scatterAdd: ([x, i, s], a) => x!.scatterAdd(num(a, 'dim'), i!, s!),
  indexSelect: ([x, i], a) => x!.indexSelect(num(a, 'dim'), i!),
  embedding: ([i, w]) => flint.embedding(i!, w!),
};

/** The 3x4 weight the expandSum fixture multiplies by (the generator's arr(3, 4, seed=4)). */
function fixedWeight(device: string): flint.Tensor {
  const vals = Array.from({ length: 12 }, (_, i) => -2 + 4 * (((i * 7919 + 4 * 104729) % 1000) / 999));
  return flint.tensor(Float32Array.from(vals), { device }).reshape(3, 4);
}
