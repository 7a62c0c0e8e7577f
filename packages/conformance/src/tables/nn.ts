/**
 * How each op of fixtures/nn.json runs in flint. A layer case lists its parameters' PyTorch names in
 * `args.params`, matching the trailing inputs: the layer is built, those parameters are replaced by
 * the fixture's tensors (so gradients reach them), it runs on the leading inputs, and it is freed.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Module = flint.nn.Module;
type Pair = number | [number, number];

/** The property of `module` that PyTorch calls `name` (`in_proj_weight` is `inProjWeight`). */
function property(module: Module, name: string): string {
  const key = Object.keys(module).find((k) => nn.stateName(k) === name);
  if (!key) throw new Error(`${module.constructor.name} has no member ${name}`);
  return key;
}

/**
 * Points the parameter or buffer at `path` (e.g. `0.weight`) of `root` at `t` (a buffer at a
 * detached view: buffers take no gradient), disposing what it held; returns the undo that
 * unhooks `t` again, so that disposing the module leaves the fixture's tensor alone.
 */
function swapIn(root: Module, path: string, t: Tensor): () => void {
  const dot = path.lastIndexOf('.');
  const owner = root.namedModules().find(([name]) => name === path.slice(0, Math.max(dot, 0)))![1];
  const slot = owner as unknown as Record<string, Tensor | null>;
  const key = property(owner, path.slice(dot + 1));
  const isParameter = slot[key] instanceof nn.Parameter;
  slot[key]?.dispose();
  slot[key] = isParameter ? t : t.detach();
  return () => (slot[key] = null);
}

/**
 * Runs `run` on module `m` with the named parameters and buffers pointed at `state`, on the
 * device of `device`, then frees the module (never the fixture's tensors).
 */
function withState<M extends Module>(m: M, state: ReadonlyArray<readonly [string, Tensor]>, device: string, run: (m: M) => Tensor): Tensor {
  const undo: Array<() => void> = [];
  try {
    m.to(device);
    for (const [path, t] of state) undo.push(swapIn(m, path, t));
    return run(m);
  } finally {
    for (const u of undo) u();
    m.dispose();
  }
}

/** An op that builds a layer from the args, points its parameters at the trailing inputs and runs `run` on the leading ones. */
export function layer<M extends Module>(make: (a: Args) => M, run: (m: M, xs: Tensor[], a: Args) => Tensor = (m, [x]) => forward(m, x!)): OpFn {
  return (inputs, a) => {
    const names = (a.params as string[] | undefined) ?? [];
    const xs = inputs.slice(0, inputs.length - names.length);
    // The module is built from the case's constructor arguments alone.
    const { params: _params, train, ...args } = a;
    const m = make(args).train(train === true);
    return withState(m, names.map((n, i) => [n, inputs[xs.length + i]!] as const), inputs[0]!.device, (mm) => run(mm, xs, a));
  };
}

/** `m.forward(x)` for a module taking one tensor. */
const forward = (m: Module, x: Tensor): Tensor => (m as Module & { forward(x: Tensor): Tensor }).forward(x);

/** The forward inputs by the names the fixture gives them in `args.inputs`. */
export function named(xs: Tensor[], a: Args): Record<string, Tensor> {
  return Object.fromEntries((a.inputs as string[]).map((n, i) => [n, xs[i]!]));
}

type LossWeights = { weight?: Tensor; posWeight?: Tensor };

/**
 * A loss module op, run on input and target. The weight inputs a case declares (args.weight,
 * args.posWeight) follow them; the module gets them and its buffers then point at them.
 */
function loss(make: (a: Args, w: LossWeights) => Module): OpFn {
  return (inputs, a) => {
    const rest = inputs.slice(2);
    const weights: LossWeights = Object.fromEntries((['weight', 'posWeight'] as const).filter((k) => a[k]).map((k) => [k, rest.shift()!]));
    const m = make(a, weights) as Module & { forward(x: Tensor, t: Tensor): Tensor };
    const state = Object.entries(weights).map(([k, t]) => [nn.stateName(k), t] as const);
    return withState(m, state, inputs[0]!.device, (mm) => mm.forward(inputs[0]!, inputs[1]!));
  };
}

const reduction = (a: Args) => (a.reduction as flint.nn.functional.Reduction | undefined) ?? 'mean';

/** The MultiheadAttention fixture: inputs named query/key/value/keyPaddingMask/attnMask; output or weights. */
function attention(m: flint.nn.MultiheadAttention, xs: Tensor[], a: Args): Tensor {
  const { query, key, value, keyPaddingMask, attnMask } = named(xs, a);
  const k = key ?? query!;
  const [out, weights] = m.forward(query!, k, value ?? k, { ...(a.options as object), keyPaddingMask, attnMask });
  if (a.output === 'output') {
    weights?.dispose();
    return out;
  }
  out.dispose();
  return weights!;
}

/** Runs BatchNorm2d in training on every input, then returns its running mean and variance. */
function runningStats(m: flint.nn.BatchNorm2d, xs: Tensor[]): Tensor {
  for (const x of xs) m.forward(x).dispose();
  return flint.cat([m.runningMean!, m.runningVar!]);
}

const ops: Record<string, OpFn> = {
  Linear: layer((a) => new nn.Linear(a.inFeatures as number, a.outFeatures as number, { bias: a.bias as boolean })),
  Conv2d: layer(
    (a) =>
      new nn.Conv2d(a.inChannels as number, a.outChannels as number, a.kernel as Pair, {
        stride: a.stride as Pair, padding: a.padding as Pair | 'same', dilation: a.dilation as Pair, groups: a.groups as number, bias: a.bias as boolean,
      }),
  ),
  MaxPool2d: layer((a) => new nn.MaxPool2d(a.kernel as Pair, { stride: a.stride as Pair | undefined, padding: a.padding as Pair | undefined, ceilMode: a.ceilMode as boolean | undefined })),
  AvgPool2d: layer((a) => new nn.AvgPool2d(a.kernel as Pair, { stride: a.stride as Pair | undefined, padding: a.padding as Pair | undefined, countIncludePad: a.countIncludePad as boolean | undefined })),
  AdaptiveAvgPool2d: layer((a) => new nn.AdaptiveAvgPool2d(a.size as Pair)),
  BatchNorm1d: layer((a) => new nn.BatchNorm1d(a.features as number, { affine: a.affine as boolean | undefined })),
  BatchNorm2d: layer((a) => new nn.BatchNorm2d(a.features as number, { affine: a.affine as boolean | undefined, trackRunningStats: a.trackRunningStats as boolean | undefined })),
  BatchNorm2dRunningStats: layer((a) => new nn.BatchNorm2d(a.features as number, { momentum: a.momentum as number | null }), runningStats),
  LayerNorm: layer((a) => new nn.LayerNorm(a.shape as number[], { eps: a.eps as number | undefined, elementwiseAffine: a.elementwiseAffine as boolean | undefined, bias: a.bias as boolean | undefined })),
  GroupNorm: layer((a) => new nn.GroupNorm(a.groups as number, a.channels as number, { affine: a.affine as boolean | undefined })),
  Embedding: layer((a) => new nn.Embedding(a.num as number, a.dim as number, { paddingIdx: a.paddingIdx as number | undefined })),
  Flatten: layer((a) => new nn.Flatten(a.start as number | undefined, a.end as number | undefined)),
  Identity: layer((a) => new nn.Identity(...((a.ctor as unknown[] | undefined) ?? []))),
  Dropout: layer((a) => new nn.Dropout(a.p as number)),
  ReLU: layer(() => new nn.ReLU()),
  LeakyReLU: layer((a) => new nn.LeakyReLU(a.slope as number)),
  GELU: layer((a) => new nn.GELU(a.approximate as 'tanh' | undefined)),
  SiLU: layer(() => new nn.SiLU()),
  Sigmoid: layer(() => new nn.Sigmoid()),
  Tanh: layer(() => new nn.Tanh()),
  Softmax: layer((a) => new nn.Softmax(a.dim as number)),
  LogSoftmax: layer((a) => new nn.LogSoftmax(a.dim as number)),
  Sequential: layer(() => new nn.Sequential(new nn.Linear(6, 5), new nn.Tanh(), new nn.Linear(5, 3))),
  MultiheadAttention: layer((a) => new nn.MultiheadAttention(a.embedDim as number, a.numHeads as number, a.ctor as flint.nn.MultiheadAttentionLayerOptions), attention),
  TransformerEncoderLayer: layer(
    (a) => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, ...(a.ctor as flint.nn.TransformerEncoderLayerOptions) }),
    (m, xs, a) => {
      const { src, ...masks } = named(xs, a);
      return m.forward(src!, { ...masks, ...(a.options as object) });
    },
  ),
  scaledDotProductAttention: ([q, k, v, mask], a) =>
    nn.functional.scaledDotProductAttention(q!, k!, v!, { attnMask: mask, isCausal: a.isCausal as boolean | undefined, scale: a.scale as number | undefined }),

  CrossEntropyLoss: loss((a, w) => new nn.CrossEntropyLoss({ reduction: reduction(a), weight: w.weight, ignoreIndex: a.ignoreIndex as number | undefined, labelSmoothing: a.labelSmoothing as number | undefined })),
  NLLLoss: loss((a, w) => new nn.NLLLoss({ reduction: reduction(a), weight: w.weight, ignoreIndex: a.ignoreIndex as number | undefined })),
  MSELoss: loss((a) => new nn.MSELoss({ reduction: reduction(a) })),
  L1Loss: loss((a) => new nn.L1Loss({ reduction: reduction(a) })),
  SmoothL1Loss: loss((a) => new nn.SmoothL1Loss({ reduction: reduction(a), beta: a.beta as number })),
  HuberLoss: loss((a) => new nn.HuberLoss({ reduction: reduction(a), delta: a.delta as number })),
  BCELoss: loss((a, w) => new nn.BCELoss({ reduction: reduction(a), weight: w.weight })),
  BCEWithLogitsLoss: loss((a, w) => new nn.BCEWithLogitsLoss({ reduction: reduction(a), ...w })),
  KLDivLoss: loss((a) => new nn.KLDivLoss({ reduction: (a.reduction as flint.nn.functional.KLDivOptions['reduction']) ?? 'mean', logTarget: a.logTarget as boolean | undefined })),
};

export const nnTable: Record<string, OpFn> = ops;
