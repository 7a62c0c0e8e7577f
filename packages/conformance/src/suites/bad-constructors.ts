/**
 * Bad constructions of every exported class, generated from the package's exports: each class of
 * the top level, nn, optim, optim.lrScheduler, data and distributions is listed below with at least one bad
 * construction (a wrong-typed, non-integer or out-of-range argument or option value), so a class
 * added without cases fails the first test. Each must throw an error that starts with the class's
 * name and states the problem, and leave `flint.memory()` as it was.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { thrownBy } from '../helpers.ts';

const { nn, optim, data, distributions } = flint;
const { lrScheduler } = optim;

/** Objects a case may pass, made before memory is measured. */
interface Fixtures {
  p: flint.Tensor;
  opt: flint.optim.SGD;
  ds: flint.data.TensorDataset;
  encoderLayer: flint.nn.TransformerEncoderLayer;
  decoderLayer: flint.nn.TransformerDecoderLayer;
}

type Case = [what: string, construct: (f: Fixtures) => unknown, problem: RegExp];

// Casts that let a test pass what the types forbid, as plain JavaScript callers can.
const bad = <T = never>(value: unknown): T => value as T;
const s = bad<number>('7');
/** `new C(...args)`, for classes whose constructor types forbid `args`. */
const construct = (C: unknown, ...args: unknown[]): unknown => new (C as new (...a: unknown[]) => unknown)(...args);

const NN: Readonly<Record<string, readonly Case[]>> = {
  AdaptiveAvgPool1d: [['a string size', () => new nn.AdaptiveAvgPool1d(s), /output_size must be a positive integer, but got '7'$/], ['size 0', () => new nn.AdaptiveAvgPool1d(0), /output_size must be a positive integer, but got 0$/]],
  AdaptiveAvgPool2d: [['3 sizes', () => new nn.AdaptiveAvgPool2d(bad([2, 2, 2])), /output_size must be a positive integer or a list of 2 positive integers or nulls, but got \[2, 2, 2\]$/], ['a size 0', () => new nn.AdaptiveAvgPool2d([0, 2]), /output_size must be positive, but got \[0, 2\]$/]],
  AdaptiveMaxPool2d: [['a string size', () => new nn.AdaptiveMaxPool2d(s), /output_size must be a positive integer or a list of 2 positive integers or nulls, but got '7'$/], ['a string returnIndices', () => new nn.AdaptiveMaxPool2d(2, bad('yes')), /return_indices must be a boolean, but got 'yes'$/]],
  AlphaDropout: [['p 1.5', () => new nn.AlphaDropout(1.5), /dropout probability has to be between 0 and 1, but got 1.5$/], ['a string p', () => new nn.AlphaDropout(s), /p must be a number, but got '7'$/]],
  AvgPool1d: [['a string kernel', () => new nn.AvgPool1d(s), /kernel_size must be a positive integer or a list of 1 of them, but got '7'$/], ['stride 0', () => new nn.AvgPool1d(2, { stride: 0 }), /stride must be a positive integer or a list of 1 of them, but got 0$/]],
  AvgPool2d: [
    ['3 kernel sizes', () => new nn.AvgPool2d(bad([2, 2, 2])), /kernel_size must be a positive integer or a list of 2 of them, but got \[2, 2, 2\]$/],
    ['divisorOverride 0', () => new nn.AvgPool2d(2, { divisorOverride: 0 }), /divisor must be not zero$/],
    ['a string ceilMode', () => new nn.AvgPool2d(2, { ceilMode: bad('yes') }), /ceilMode must be a boolean, but got 'yes'$/],
  ],
  BCELoss: [['a string weight', () => new nn.BCELoss({ weight: bad('7') }), /weight must be a Tensor, but got string$/], ['reduction avg', () => new nn.BCELoss({ reduction: bad('avg') }), /avg is not a valid value for reduction/]],
  BCEWithLogitsLoss: [['a number posWeight', () => new nn.BCEWithLogitsLoss({ posWeight: bad(2) }), /posWeight must be a Tensor, but got number$/]],
  BatchNorm1d: [['a string size', () => new nn.BatchNorm1d(s), /num_features must be a positive integer, but got '7'$/], ['a string affine', () => new nn.BatchNorm1d(4, { affine: bad('yes') }), /affine must be a boolean, but got 'yes'$/]],
  BatchNorm2d: [['size 1.5', () => new nn.BatchNorm2d(1.5), /num_features must be a positive integer, but got 1.5$/], ['a string momentum', () => new nn.BatchNorm2d(4, { momentum: s }), /momentum must be a number, but got '7'$/]],
  BatchNorm3d: [['size 0', () => new nn.BatchNorm3d(0), /num_features must be a positive integer, but got 0$/], ['a string eps', () => new nn.BatchNorm3d(4, { eps: s }), /eps must be a number, but got '7'$/]],
  Bilinear: [['a string size', () => new nn.Bilinear(2, s, 3), /in2_features must be a positive integer, but got '7'$/], ['a string bias', () => new nn.Bilinear(2, 2, 3, { bias: bad('no') }), /bias must be a boolean, but got 'no'$/]],
  CELU: [['a string alpha', () => new nn.CELU(s), /alpha must be a number, but got '7'$/], ['alpha 0', () => new nn.CELU(0), /ZeroDivisionError: alpha cannot be 0 for CELU$/]],
  Conv1d: [['a string in_channels', () => new nn.Conv1d(s, 2, 3), /in_channels must be a positive integer, but got '7'$/], ['2 kernel sizes', () => new nn.Conv1d(1, 2, [3, 3]), /kernel_size must be a positive integer or a list of 1 of them, but got \[3, 3\]$/]],
  Conv2d: [
    ['a string in_channels', () => new nn.Conv2d(s, 2, 3), /in_channels must be a positive integer, but got '7'$/],
    ['3 kernel sizes', () => new nn.Conv2d(1, 2, [3, 3, 3]), /kernel_size must be a positive integer or a list of 2 of them, but got \[3, 3, 3\]$/],
    ['stride 0', () => new nn.Conv2d(1, 2, 3, { stride: 0 }), /stride must be a positive integer or a list of 2 of them, but got 0$/],
    ['groups 1.5', () => new nn.Conv2d(2, 2, 3, { groups: 1.5 }), /groups must be a positive integer, but got 1.5$/],
    ['groups not dividing in_channels', () => new nn.Conv2d(3, 4, 3, { groups: 2 }), /in_channels must be divisible by groups$/],
  ],
  Conv3d: [['out_channels 0', () => new nn.Conv3d(1, 0, 3), /out_channels must be a positive integer, but got 0$/], ['a negative padding', () => new nn.Conv3d(1, 2, 3, { padding: -1 }), /padding must be a non-negative integer or a list of 3 of them, but got -1$/]],
  ConvTranspose1d: [['a missing kernel', () => new nn.ConvTranspose1d(1, 2, bad(undefined)), /kernel_size must be a positive integer or a list of 1 of them, but got undefined$/]],
  ConvTranspose2d: [['a string outputPadding', () => new nn.ConvTranspose2d(1, 2, 3, { outputPadding: s }), /output_padding must be a non-negative integer or a list of 2 of them, but got '7'$/]],
  CosineSimilarity: [['dim 1.5', () => new nn.CosineSimilarity({ dim: 1.5 }), /dim must be an integer, but got 1.5$/]],
  CrossEntropyLoss: [['labelSmoothing 2', () => new nn.CrossEntropyLoss({ labelSmoothing: 2 }), /labelSmoothing must be a probability in \[0, 1\], but got 2$/], ['ignoreIndex 0.5', () => new nn.CrossEntropyLoss({ ignoreIndex: 0.5 }), /ignoreIndex must be an integer, but got 0.5$/]],
  Dropout: [['p -0.1', () => new nn.Dropout(-0.1), /dropout probability has to be between 0 and 1, but got -0.1$/], ['a string p', () => new nn.Dropout(s), /p must be a number, but got '7'$/]],
  Dropout1d: [['p 2', () => new nn.Dropout1d(2), /dropout probability has to be between 0 and 1, but got 2$/]],
  Dropout2d: [['p NaN', () => new nn.Dropout2d(NaN), /p must be a number, but got NaN$/]],
  Dropout3d: [['a string p', () => new nn.Dropout3d(s), /p must be a number, but got '7'$/]],
  ELU: [['a string alpha', () => new nn.ELU(s), /alpha must be a number, but got '7'$/]],
  Embedding: [['3.5 embeddings', () => new nn.Embedding(3.5, 2), /num_embeddings must be a positive integer, but got 3.5$/], ['a string dim', () => new nn.Embedding(3, s), /embedding_dim must be a positive integer, but got '7'$/]],
  EmbeddingBag: [['0 embeddings', () => new nn.EmbeddingBag(0, 2), /num_embeddings must be a positive integer, but got 0$/], ['a string includeLastOffset', () => new nn.EmbeddingBag(3, 2, { includeLastOffset: bad('y') }), /includeLastOffset must be a boolean, but got 'y'$/]],
  Flatten: [['a string start_dim', () => new nn.Flatten(s), /start_dim must be an integer, but got '7'$/], ['end_dim 0.5', () => new nn.Flatten(1, 0.5), /end_dim must be an integer, but got 0.5$/]],
  Fold: [['a string output size', () => new nn.Fold(s, 2), /output_size must be a positive integer or a list of 2 of them, but got '7'$/], ['kernel 0', () => new nn.Fold(4, 0), /kernel_size must be a positive integer or a list of 2 of them, but got 0$/]],
  GELU: [['approximate fast', () => new nn.GELU(bad('fast')), /approximate argument must be either none or tanh \(got fast\)/]],
  GLU: [['a string dim', () => new nn.GLU(s), /dim must be an integer, but got '7'$/]],
  GRU: [['a string input_size', () => new nn.GRU(s, 3), /input_size should be of type int, got: '7'$/], ['dropout 2', () => new nn.GRU(2, 3, { dropout: 2 }), /dropout should be a number in range \[0, 1\] representing the probability of an element being zeroed, but got 2$/]],
  GRUCell: [['hidden_size 0', () => new nn.GRUCell(2, 0), /hidden_size must be greater than zero$/]],
  GroupNorm: [['a string group count', () => new nn.GroupNorm(s, 4), /num_groups must be a positive integer, but got '7'$/], ['channels not divisible', () => new nn.GroupNorm(3, 4), /num_channels must be divisible by num_groups$/]],
  Hardshrink: [['a string lambd', () => new nn.Hardshrink(s), /lambd must be a number, but got '7'$/]],
  Hardsigmoid: [['an argument', () => construct(nn.Hardsigmoid, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  Hardswish: [['an argument', () => construct(nn.Hardswish, true), /takes no arguments, but got 1 \(true\)$/]],
  Hardtanh: [['a string min_val', () => new nn.Hardtanh(s), /min_val must be a number, but got '7'$/], ['max_val below min_val', () => new nn.Hardtanh(1, -1), /max_val must be greater than min_val$/]],
  HuberLoss: [['a string delta', () => new nn.HuberLoss({ delta: s }), /delta must be a number, but got '7'$/]],
  InstanceNorm1d: [['a string size', () => new nn.InstanceNorm1d(s), /num_features must be a positive integer, but got '7'$/]],
  InstanceNorm2d: [['a string trackRunningStats', () => new nn.InstanceNorm2d(4, { trackRunningStats: bad(1) }), /trackRunningStats must be a boolean, but got 1$/]],
  KLDivLoss: [['a string logTarget', () => new nn.KLDivLoss({ logTarget: bad('yes') }), /logTarget must be a boolean, but got 'yes'$/], ['reduction avg', () => new nn.KLDivLoss({ reduction: bad('avg') }), /avg is not a valid value for reduction; expected one of 'mean', 'sum', 'none', 'batchmean'$/]],
  L1Loss: [['reduction avg', () => new nn.L1Loss({ reduction: bad('avg') }), /avg is not a valid value for reduction; expected one of 'mean', 'sum', 'none'$/]],
  LSTM: [['num_layers 0', () => new nn.LSTM(2, 3, { numLayers: 0 }), /num_layers must be greater than zero$/], ['projSize not below hidden_size', () => new nn.LSTM(2, 3, { projSize: 3 }), /proj_size has to be smaller than hidden_size$/]],
  LSTMCell: [['hidden_size 20.5', () => new nn.LSTMCell(10, 20.5), /hidden_size should be of type int, got: 20.5$/]],
  LayerNorm: [['a string shape', () => new nn.LayerNorm(s), /normalized_shape must be a positive integer or a list of 1 of them, but got '7'$/], ['a size 0', () => new nn.LayerNorm([4, 0]), /normalized_shape must be a positive integer or a list of 2 of them, but got \[4, 0\]$/]],
  LeakyReLU: [['a string slope', () => new nn.LeakyReLU(s), /negative_slope must be a number, but got '7'$/]],
  Linear: [['a string in_features', () => new nn.Linear(s, 3), /in_features must be a non-negative integer, but got '7'$/], ['-1 in_features', () => new nn.Linear(-1, 3), /in_features must be a non-negative integer, but got -1$/], ['a string bias', () => new nn.Linear(2, 3, { bias: bad('no') }), /bias must be a boolean, but got 'no'$/]],
  LocalResponseNorm: [['a string size', () => new nn.LocalResponseNorm(s), /size must be a positive integer, but got '7'$/], ['a string alpha', () => new nn.LocalResponseNorm(2, { alpha: s }), /alpha must be a number, but got '7'$/]],
  LogSigmoid: [['an argument', () => construct(nn.LogSigmoid, 1), /takes no arguments, but got 1 \(1\)$/]],
  LogSoftmax: [['a string dim', () => new nn.LogSoftmax(s), /dim must be an integer, but got '7'$/], ['no dim', () => construct(nn.LogSoftmax), /dim must be an integer, but got undefined$/]],
  Loss: [['a string reduction', () => construct(nn.Loss, { reduction: 'avg' }), /avg is not a valid value for reduction/]],
  MSELoss: [['a string where options go', () => new nn.MSELoss(bad('sum')), /expected an options object, but got string$/]],
  MaxPool1d: [['kernel 0', () => new nn.MaxPool1d(0), /kernel_size must be a positive integer or a list of 1 of them, but got 0$/], ['a string dilation', () => new nn.MaxPool1d(2, { dilation: s }), /dilation must be a positive integer or a list of 1 of them, but got '7'$/]],
  MaxPool2d: [['a string kernel', () => new nn.MaxPool2d(s), /kernel_size must be a positive integer or a list of 2 of them, but got '7'$/], ['a negative padding', () => new nn.MaxPool2d(2, { padding: [-1, 0] }), /padding must be a non-negative integer or a list of 2 of them, but got \[-1, 0\]$/]],
  MaxUnpool2d: [['a string kernel', () => new nn.MaxUnpool2d(s), /kernel_size must be a positive integer or a list of 2 of them, but got '7'$/]],
  Mish: [['an argument', () => construct(nn.Mish, {}), /takes no arguments, but got 1 \(Object\)$/]],
  Module: [['an argument', () => construct(nn.Module, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  ModuleDict: [['a number', () => new nn.ModuleDict(bad(7)), /expected an object or an iterable of key\/module pairs, but got number$/], ['a non-module value', () => new nn.ModuleDict(bad({ a: new nn.ReLU(), b: 3 })), /number is not a Module subclass \(key 'b'\)$/], ['a dotted key', () => new nn.ModuleDict({ 'a.b': new nn.ReLU() }), /module name can't contain "." or be empty, got "a.b"$/]],
  ModuleList: [['a number', () => new nn.ModuleList(bad(7)), /expected an iterable of Modules, but got number$/], ['a non-module item', () => new nn.ModuleList(bad([new nn.ReLU(), 3])), /number is not a Module subclass \(index 1\)$/]],
  MultiheadAttention: [['embed_dim 0', () => new nn.MultiheadAttention(0, 1), /embed_dim must be a positive integer, but got 0$/], ['a string dropout', () => new nn.MultiheadAttention(4, 1, { dropout: s }), /dropout must be a number, but got '7'$/]],
  NLLLoss: [['a string ignoreIndex', () => new nn.NLLLoss({ ignoreIndex: s }), /ignoreIndex must be an integer, but got '7'$/]],
  NonDynamicallyQuantizableLinear: [['a string out_features', () => new nn.NonDynamicallyQuantizableLinear(2, s), /out_features must be a non-negative integer, but got '7'$/]],
  PReLU: [['a string count', () => new nn.PReLU(s), /num_parameters must be a positive integer, but got '7'$/], ['a string init', () => new nn.PReLU(1, s), /init must be a number, but got '7'$/]],
  PairwiseDistance: [['a string p', () => new nn.PairwiseDistance({ p: s }), /p must be a number, but got '7'$/], ['a number keepdim', () => new nn.PairwiseDistance({ keepdim: bad(1) }), /keepdim must be a boolean, but got 1$/]],
  Parameter: [['a string', () => new nn.Parameter(bad('7')), /data must be a Tensor, but got string$/], ['a string requiresGrad', ({ p }) => new nn.Parameter(p, bad('yes')), /requires_grad must be a boolean, but got 'yes'$/]],
  PixelShuffle: [['a string factor', () => new nn.PixelShuffle(s), /upscale_factor must be a positive integer, but got '7'$/], ['factor 0', () => new nn.PixelShuffle(0), /upscale_factor must be a positive integer, but got 0$/]],
  PixelUnshuffle: [['factor 1.5', () => new nn.PixelUnshuffle(1.5), /downscale_factor must be a positive integer, but got 1.5$/]],
  RMSNorm: [['a string shape', () => new nn.RMSNorm(s), /normalized_shape must be a positive integer or a list of 1 of them, but got '7'$/], ['a string eps', () => new nn.RMSNorm(4, { eps: s }), /eps must be a number, but got '7'$/]],
  RNN: [['a string input_size', () => new nn.RNN(s, 3), /input_size should be of type int, got: '7'$/], ['a string batchFirst', () => new nn.RNN(2, 3, { batchFirst: bad('yes') }), /batchFirst must be a boolean, but got 'yes'$/]],
  RNNCell: [['a string input_size', () => new nn.RNNCell(s, 3), /input_size should be of type int, got: '7'$/]],
  RReLU: [['a string lower', () => new nn.RReLU(s), /lower must be a number, but got '7'$/], ['lower above upper', () => new nn.RReLU(0.5, 0.1), /Lower bound should be less than or equal to the upper bound/], ['a number generator', () => new nn.RReLU(0.1, 0.3, { generator: bad(7) }), /generator must be a Generator, but got 7$/]],
  ReLU: [['an argument', () => construct(nn.ReLU, true), /takes no arguments, but got 1 \(true\)$/]],
  ReLU6: [['an argument', () => construct(nn.ReLU6, 1), /takes no arguments, but got 1 \(1\)$/]],
  SELU: [['an argument', () => construct(nn.SELU, true), /takes no arguments, but got 1 \(true\)$/]],
  Sequential: [['a tensor', ({ p }) => new nn.Sequential(new nn.ReLU(), bad(p)), /Tensor is not a Module subclass \(argument 2\)$/], ['a number', () => new nn.Sequential(bad(7)), /number is not a Module subclass \(argument 1\)$/]],
  SiLU: [['an argument', () => construct(nn.SiLU, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  Sigmoid: [['an argument', () => construct(nn.Sigmoid, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  SmoothL1Loss: [['a string beta', () => new nn.SmoothL1Loss({ beta: s }), /beta must be a number, but got '7'$/]],
  Softmax: [['a string dim', () => new nn.Softmax(s), /dim must be an integer, but got '7'$/], ['dim 1.5', () => new nn.Softmax(1.5), /dim must be an integer, but got 1.5$/]],
  Softmax2d: [['an argument', () => construct(nn.Softmax2d, 1), /takes no arguments, but got 1 \(1\)$/]],
  Softmin: [['a string dim', () => new nn.Softmin(s), /dim must be an integer, but got '7'$/]],
  Softplus: [['a string beta', () => new nn.Softplus(s), /beta must be a number, but got '7'$/], ['a string threshold', () => new nn.Softplus(1, s), /threshold must be a number, but got '7'$/]],
  Softshrink: [['a string lambd', () => new nn.Softshrink(s), /lambd must be a number, but got '7'$/], ['lambd -1', () => new nn.Softshrink(-1), /lambda must be greater or equal to 0, but found to be -1\.$/]],
  Softsign: [['an argument', () => construct(nn.Softsign, 1), /takes no arguments, but got 1 \(1\)$/]],
  Tanh: [['an argument', () => construct(nn.Tanh, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  Tanhshrink: [['an argument', () => construct(nn.Tanhshrink, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  Threshold: [['a string threshold', () => new nn.Threshold(s, 0), /threshold must be a number, but got '7'$/], ['no value', () => construct(nn.Threshold, 0.1), /value must be a number, but got undefined$/]],
  Transformer: [['nhead 0', () => new nn.Transformer({ dModel: 4, nhead: 0 }), /nhead must be a positive integer, but got 0$/], ['a string dropout', () => new nn.Transformer({ dModel: 4, nhead: 1, dropout: s }), /dropout must be a number, but got '7'$/]],
  TransformerDecoder: [['a number layer', () => new nn.TransformerDecoder(bad(7), 2), /number is not a Module subclass \(the layer to clone\)$/], ['1.5 layers', ({ decoderLayer }) => new nn.TransformerDecoder(decoderLayer, 1.5), /num_layers must be a non-negative integer, but got 1.5$/]],
  TransformerDecoderLayer: [['a negative dimFeedforward', () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: -1 }), /dim_feedforward must be a positive integer, but got -1$/]],
  TransformerEncoder: [['a string layer count', ({ encoderLayer }) => new nn.TransformerEncoder(encoderLayer, s), /num_layers must be a non-negative integer, but got '7'$/], ['a number norm', ({ encoderLayer }) => new nn.TransformerEncoder(encoderLayer, 1, { norm: bad(7) }), /norm must be a Module, but got number$/]],
  TransformerEncoderLayer: [['a string d_model', () => new nn.TransformerEncoderLayer(s, 2), /d_model must be a positive integer, but got '7'$/], ['dropout 2', () => new nn.TransformerEncoderLayer(8, 2, { dropout: 2 }), /dropout probability has to be between 0 and 1, but got 2$/]],
  Unflatten: [['a string size', () => new nn.Unflatten(1, bad('7')), /unflattened_size must be a list of positive integers \(one may be -1\), but got '7'$/], ['a string dim', () => new nn.Unflatten(s, [2, 2]), /dim must be an integer, but got '7'$/]],
  Unfold: [['a string kernel', () => new nn.Unfold(s), /kernel_size must be a positive integer or a list of 2 of them, but got '7'$/], ['stride 0', () => new nn.Unfold(2, { stride: 0 }), /stride must be a positive integer or a list of 2 of them, but got 0$/]],
  Upsample: [
    ['neither size nor scaleFactor', () => new nn.Upsample(), /either size or scale_factor should be defined, but not both$/],
    ['a string scaleFactor', () => new nn.Upsample({ scaleFactor: s }), /scale_factor must be a positive number or a list of them, one per spatial dim, but got '7'$/],
    ['size 0', () => new nn.Upsample({ size: 0 }), /size must be a positive integer or a list of them, one per spatial dim, but got 0$/],
    ['mode bogus', () => new nn.Upsample({ scaleFactor: 2, mode: bad('bogus') }), /bogus is not a valid value for mode; expected one of 'nearest', 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear'$/],
  ],
};

const param = (f: Fixtures): flint.Tensor[] => [f.p];

/** Bad constructions every optimizer shares, under its own name. */
function optimizerCases(Optim: new (params: unknown, options: { lr: number }) => unknown): Case[] {
  return [
    ['a number for params', () => new Optim(7, { lr: 0.1 }), /params argument given to the optimizer should be an iterable of Tensors or dicts, but got number$/],
    ['a tensor for params', (f) => new Optim(f.p, { lr: 0.1 }), /params argument given to the optimizer should be an iterable of Tensors or dicts, but got Tensor$/],
    ['a number among params', (f) => new Optim([f.p, 7], { lr: 0.1 }), /optimizer can only optimize Tensors, but one of the params is number$/],
    ['an empty list', () => new Optim([], { lr: 0.1 }), /optimizer got an empty parameter list$/],
    ['a string lr', (f) => new Optim(param(f), { lr: s }), /lr must be a number, but got '7'$/],
  ];
}

const OPTIM: Readonly<Record<string, readonly Case[]>> = {
  Optimizer: [['direct construction of the base', (f) => new (bad<new (...a: unknown[]) => unknown>(optim.Optimizer))('Optimizer', param(f), { lr: 0.1 }, {}), /is abstract: construct one of its subclasses, such as SGD$/]],
  ...Object.fromEntries(
    (['ASGD', 'Adadelta', 'Adagrad', 'Adam', 'AdamW', 'Adamax', 'LBFGS', 'NAdam', 'RAdam', 'RMSprop', 'Rprop', 'SGD'] as const).map((name) => [name, optimizerCases(bad(optim[name]))]),
  ),
};

/** A scheduler class given a number where the optimizer goes. */
const notAnOptimizer = (Scheduler: unknown, ...rest: unknown[]): Case => ['a number for the optimizer', () => construct(Scheduler, 7, ...rest), /number is not an Optimizer$/];

const SCHEDULERS: Readonly<Record<string, readonly Case[]>> = {
  ChainedScheduler: [['a number', () => new lrScheduler.ChainedScheduler(bad(7)), /expects a list of LRScheduler instances$/]],
  ConstantLR: [notAnOptimizer(lrScheduler.ConstantLR), ['factor 2', ({ opt }) => new lrScheduler.ConstantLR(opt, { factor: 2 }), /Constant multiplicative factor expected to be between 0 and 1/]],
  CosineAnnealingLR: [notAnOptimizer(lrScheduler.CosineAnnealingLR, { tMax: 3 }), ['no tMax', ({ opt }) => new lrScheduler.CosineAnnealingLR(opt, bad({})), /missing required option 'tMax'$/]],
  CosineAnnealingWarmRestarts: [notAnOptimizer(lrScheduler.CosineAnnealingWarmRestarts, { t0: 3 })],
  CyclicLR: [notAnOptimizer(lrScheduler.CyclicLR, { baseLr: 0.1, maxLr: 1 })],
  ExponentialLR: [notAnOptimizer(lrScheduler.ExponentialLR, { gamma: 0.5 }), ['a string gamma', ({ opt }) => new lrScheduler.ExponentialLR(opt, { gamma: s }), /gamma/]],
  LRScheduler: [notAnOptimizer(lrScheduler.LRScheduler)],
  LambdaLR: [notAnOptimizer(lrScheduler.LambdaLR, { lrLambda: () => 1 })],
  LinearLR: [notAnOptimizer(lrScheduler.LinearLR)],
  MultiStepLR: [notAnOptimizer(lrScheduler.MultiStepLR, { milestones: [1] })],
  MultiplicativeLR: [notAnOptimizer(lrScheduler.MultiplicativeLR, { lrLambda: () => 1 })],
  OneCycleLR: [notAnOptimizer(lrScheduler.OneCycleLR, { maxLr: 1, totalSteps: 3 })],
  PolynomialLR: [notAnOptimizer(lrScheduler.PolynomialLR)],
  ReduceLROnPlateau: [notAnOptimizer(lrScheduler.ReduceLROnPlateau)],
  SequentialLR: [notAnOptimizer(lrScheduler.SequentialLR, { schedulers: [], milestones: [] })],
  StepLR: [notAnOptimizer(lrScheduler.StepLR, { stepSize: 2 }), ['stepSize 0', ({ opt }) => new lrScheduler.StepLR(opt, { stepSize: 0 }), /Expected positive integer stepSize, but got 0$/]],
};

const DATA: Readonly<Record<string, readonly Case[]>> = {
  AsyncIterableDataset: [['an argument', () => construct(data.AsyncIterableDataset, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  BatchSampler: [['a number sampler', () => new data.BatchSampler(bad(7), 2, false), /sampler should be an iterable of indices, but got number$/], ['batchSize 0', () => new data.BatchSampler([0], 0, false), /batchSize should be a positive integer value, but got batchSize=0$/]],
  ConcatDataset: [['a number', () => new data.ConcatDataset(bad(7)), /datasets should be a list of datasets, but got number$/], ['a number among them', ({ ds }) => new data.ConcatDataset(bad([ds, 7])), /dataset 1 should be a Dataset, but got number$/]],
  DataLoader: [
    ['a number for the dataset', () => new data.DataLoader(bad(7)), /dataset should be a Dataset \(getItem and length\) or an IterableDataset, but got number$/],
    ['null for the dataset', () => new data.DataLoader(bad(null)), /dataset should be a Dataset \(getItem and length\) or an IterableDataset, but got null$/],
    ['batchSize 0', ({ ds }) => new data.DataLoader(ds, { batchSize: 0 }), /batchSize should be a positive integer value, but got batchSize=0$/],
    ['batchSize 1.5', ({ ds }) => new data.DataLoader(ds, { batchSize: 1.5 }), /batchSize should be a positive integer value, but got batchSize=1.5$/],
    ['a sampler with shuffle', ({ ds }) => new data.DataLoader(ds, { sampler: [0, 1], shuffle: true }), /sampler option is mutually exclusive with shuffle$/],
    ['a string shuffle', ({ ds }) => new data.DataLoader(ds, { shuffle: bad('yes') }), /shuffle must be a boolean, but got 'yes'$/],
    ['a number collateFn', ({ ds }) => new data.DataLoader(ds, { collateFn: bad(7) }), /collateFn must be a function, but got 7$/],
    ['a number sampler', ({ ds }) => new data.DataLoader(ds, { sampler: bad(7) }), /sampler option should be an iterable, but got number$/],
  ],
  Dataset: [['an argument', () => construct(data.Dataset, '7'), /takes no arguments, but got 1 \('7'\)$/]],
  IterableDataset: [['an argument', () => construct(data.IterableDataset, 7), /takes no arguments, but got 1 \(7\)$/]],
  RandomSampler: [['a number', () => new data.RandomSampler(bad(7)), /dataSource should have a non-negative integer length, but got number$/], ['numSamples 0', ({ ds }) => new data.RandomSampler(ds, { numSamples: 0 }), /numSamples should be a positive integer value, but got numSamples=0$/], ['a string replacement', ({ ds }) => new data.RandomSampler(ds, { replacement: bad('y') }), /replacement must be a boolean, but got 'y'$/]],
  SequentialSampler: [['a number', () => new data.SequentialSampler(bad(7)), /dataSource should have a non-negative integer length, but got number$/]],
  Subset: [['a number for the dataset', () => new data.Subset(bad(7), [0]), /dataset should be a map-style Dataset \(getItem and length\), but got number$/], ['a fractional index', ({ ds }) => new data.Subset(ds, [1.5]), /indices should be a list of non-negative integers, but got \[1.5\]$/]],
  SubsetRandomSampler: [['a number', () => new data.SubsetRandomSampler(bad(7)), /indices should be a list of non-negative integers, but got 7$/], ['a number generator', () => new data.SubsetRandomSampler([0], { generator: bad(7) }), /generator must be a Generator, but got 7$/]],
  TensorDataset: [['a number', () => new data.TensorDataset(bad(7)), /argument 1 must be a Tensor, not number$/], ['no tensor', () => new data.TensorDataset(), /expected at least one tensor$/]],
  WeightedRandomSampler: [['a number for the weights', () => new data.WeightedRandomSampler(bad(7), 2), /weights should be a list of numbers, but got number$/], ['numSamples 0', () => new data.WeightedRandomSampler([1], 0), /numSamples should be a positive integer value, but got numSamples=0$/], ['a string replacement', () => new data.WeightedRandomSampler([1], 1, { replacement: bad('y') }), /replacement must be a boolean, but got 'y'$/]],
};

/** Out-of-support parameters are checked for tensors only where values read synchronously; numbers everywhere. */
const DISTRIBUTIONS: Readonly<Record<string, readonly Case[]>> = {
  Bernoulli: [
    ['probs 2', () => new distributions.Bernoulli({ probs: 2 }), /Expected parameter probs \(Tensor of shape \[\]\) of distribution Bernoulli to satisfy the constraint Interval\(lower_bound=0.0, upper_bound=1.0\), but found invalid values$/],
    ['a string probs', () => new distributions.Bernoulli({ probs: s }), /probs must be a Tensor or a number, but got string$/],
    ['a string validateArgs', () => new distributions.Bernoulli({ probs: 0.5, validateArgs: bad('no') }), /validateArgs must be a boolean, but got 'no'$/],
  ],
  Categorical: [['a number for probs', () => new distributions.Categorical({ probs: bad(0.5) }), /probs must be a Tensor, but got number$/], ['neither probs nor logits', () => new distributions.Categorical({}), /Either `probs` or `logits` must be specified, but not both.$/]],
  Normal: [
    ['scale -1', () => new distributions.Normal(0, -1), /Expected parameter scale \(Tensor of shape \[\]\) of distribution Normal to satisfy the constraint GreaterThan\(lower_bound=0.0\), but found invalid values$/],
    ['a string loc', () => new distributions.Normal(s, 1), /loc must be a Tensor or a number, but got string$/],
    ['a NaN loc', () => new distributions.Normal(NaN, 1), /Expected parameter loc \(Tensor of shape \[\]\) of distribution Normal to satisfy the constraint Real\(\)/],
  ],
};

/** flint's own classes: tensors and handles are made by flint's functions, never with new. */
const TOP: Readonly<Record<string, readonly Case[]>> = {
  Generator: [['a string seed', () => new flint.Generator(s), /seed must be a non-negative safe integer, got '7'$/], ['seed -1', () => new flint.Generator(-1), /seed must be a non-negative safe integer, got -1$/]],
  RemovableHandle: [['a number', () => construct(flint.RemovableHandle, 7), /handles are returned by registerHook\(\) and the module register...Hook\(\) methods, not made with new$/]],
  Tensor: [['a string', () => construct(flint.Tensor, '7'), /tensors are made by flint.tensor\(data\), zeros\(shape\), randn\(shape\) and the other creation functions, not by new Tensor\(\)$/]],
};

/** Exported classes that take anything, with the reason. */
const ACCEPTS_ANYTHING: Readonly<Record<string, string>> = { 'nn.Identity': 'ignores its arguments, as torch.nn.Identity does' };

const TABLES: ReadonlyArray<[prefix: string, namespace: object, cases: Readonly<Record<string, readonly Case[]>>]> = [
  ['flint', flint, TOP], ['nn', nn, NN], ['optim', optim, OPTIM], ['optim.lrScheduler', lrScheduler, SCHEDULERS], ['data', data, DATA], ['distributions', distributions, DISTRIBUTIONS],
];

/** The classes a namespace exports. */
function exportedClasses(namespace: object): string[] {
  return Object.entries(namespace).filter(([, v]) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v))).map(([k]) => k).sort();
}

export function badConstructorsSuite(ctx: SuiteContext): void {
  describe('bad input: every exported class, generated from the exports', () => {
    it('every exported class has bad constructions listed', () => {
      for (const [prefix, namespace, cases] of TABLES) {
        const listed = Object.keys(cases).filter((name) => cases[name]!.length > 0);
        const classes = exportedClasses(namespace).filter((name) => !(`${prefix}.${name}` in ACCEPTS_ANYTHING));
        expect(classes.filter((name) => !listed.includes(name)), `${prefix} classes without cases: add them in suites/bad-constructors.ts`).toEqual([]);
        expect(listed.filter((name) => !classes.includes(name)), `${prefix}: listed but no longer exported`).toEqual([]);
      }
    });

    it('nn.Identity takes any arguments, as PyTorch\'s does', () => {
      expect(new (bad<new (...a: unknown[]) => flint.nn.Identity>(nn.Identity))('7', 3)).toBeInstanceOf(nn.Identity);
    });

    for (const [prefix, , cases] of TABLES) {
      for (const [name, list] of Object.entries(cases)) {
        for (const [what, construct, problem] of list) {
          it(`${prefix}.${name} rejects ${what}, naming itself and the problem, with memory unchanged`, () => {
            const p = flint.zeros([2], { device: ctx.name }).requiresGrad_();
            const fixtures: Fixtures = {
              p,
              opt: new optim.SGD([p], { lr: 0.1 }),
              ds: new data.TensorDataset(flint.zeros([4, 2], { device: ctx.name })),
              encoderLayer: new nn.TransformerEncoderLayer(4, 1, { dimFeedforward: 4 }),
              decoderLayer: new nn.TransformerDecoderLayer(4, 1, { dimFeedforward: 4 }),
            };
            const before = flint.memory();
            const err = thrownBy(() => construct(fixtures));
            const after = flint.memory();
            fixtures.encoderLayer.dispose();
            fixtures.decoderLayer.dispose();
            fixtures.ds.tensors[0].dispose();
            p.dispose();
            expect(err, 'a bad construction throws').toBeInstanceOf(Error);
            expect((err as Error).message).toMatch(new RegExp(`^${name}(\\(\\))?: `));
            expect((err as Error).message).toMatch(problem);
            expect([after.tensors, after.storages, after.bytes], 'memory unchanged').toEqual([before.tensors, before.storages, before.bytes]);
          });
        }
      }
    }
  });
}
