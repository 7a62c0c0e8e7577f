/**
 * How each op of fixtures/nn2.json runs in flint: the op is the module's name, `args.ctor` its
 * constructor arguments in flint's form, and the layer's parameters point at the trailing inputs
 * as in the nn table. Two-input modules take the first two inputs.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';
import { layer, named } from './nn.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Module = flint.nn.Module;
type ModuleClass = new (...args: never[]) => Module;

const make = (Ctor: ModuleClass) => (a: Args) => new Ctor(...((a.ctor ?? []) as never[]));

/** A one-input module. */
const unary = (Ctor: ModuleClass): OpFn => layer(make(Ctor));

/** A module whose forward takes two tensors. */
const binary = (Ctor: ModuleClass): OpFn =>
  layer(make(Ctor), (m, [x1, x2]) => (m as Module & { forward(a: Tensor, b: Tensor): Tensor }).forward(x1!, x2!));

const oneInput: Record<string, ModuleClass> = {
  ELU: nn.ELU, SELU: nn.SELU, CELU: nn.CELU, Mish: nn.Mish, Hardtanh: nn.Hardtanh, ReLU6: nn.ReLU6, Hardswish: nn.Hardswish,
  Hardsigmoid: nn.Hardsigmoid, LogSigmoid: nn.LogSigmoid, Softsign: nn.Softsign, Tanhshrink: nn.Tanhshrink, Softshrink: nn.Softshrink,
  Hardshrink: nn.Hardshrink, Threshold: nn.Threshold, PReLU: nn.PReLU, RReLU: nn.RReLU, GLU: nn.GLU, Softmin: nn.Softmin,
  Softplus: nn.Softplus, Softmax2d: nn.Softmax2d, RMSNorm: nn.RMSNorm, InstanceNorm1d: nn.InstanceNorm1d, InstanceNorm2d: nn.InstanceNorm2d,
  BatchNorm3d: nn.BatchNorm3d, LocalResponseNorm: nn.LocalResponseNorm, Dropout1d: nn.Dropout1d, Dropout2d: nn.Dropout2d,
  Dropout3d: nn.Dropout3d, AlphaDropout: nn.AlphaDropout, Unflatten: nn.Unflatten,
};
const twoInputs: Record<string, ModuleClass> = { CosineSimilarity: nn.CosineSimilarity, PairwiseDistance: nn.PairwiseDistance, Bilinear: nn.Bilinear };

type WithRunningStats = Module & { forward(x: Tensor): Tensor; runningMean: Tensor | null; runningVar: Tensor | null };

/** Runs the module `args.module` in training on every input, then returns its running mean and variance. */
const runningStats: OpFn = layer(
  (a) => make(oneInput[a.module as string]!)(a) as WithRunningStats,
  (m, xs) => {
    for (const x of xs) m.forward(x).dispose();
    return flint.cat([m.runningMean!, m.runningVar!]);
  },
);

/** EmbeddingBag on the inputs the case names: input, and optionally offsets and perSampleWeights. */
const embeddingBag: OpFn = layer(make(nn.EmbeddingBag) as (a: Args) => flint.nn.EmbeddingBag, (m, xs, a) => {
  const { input, offsets, perSampleWeights } = named(xs, a);
  return m.forward(input!, offsets ?? null, perSampleWeights ?? null);
});

export const nn2Table: Record<string, OpFn> = {
  ...Object.fromEntries(Object.entries(oneInput).map(([name, Ctor]) => [name, unary(Ctor)])),
  ...Object.fromEntries(Object.entries(twoInputs).map(([name, Ctor]) => [name, binary(Ctor)])),
  RunningStats: runningStats,
  EmbeddingBag: embeddingBag,
};
