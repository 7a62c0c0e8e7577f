/**
 * flint: PyTorch-style tensors and autograd for TypeScript.
 * @example
 * import * as flint from '@flint/core';
 * import '@flint/cpu-js';
 * await flint.init();
 * const x = flint.tensor([[1, 2], [3, 4]], { dtype: 'float32', requiresGrad: true });
 * x.mul(x).sum().backward(); // x.grad = 2x
 */
export type * from './backend/types.ts';
export { viewAmong } from './backend/operand.ts';
export { mergeDims, numel, contiguousStrides, isContiguous, type MergedDims } from './backend/layout.ts';
export { setFusedKernels } from './backend/fused.ts';
export { sortLines } from './backend/sort-lines.ts';
export { importNodeBuiltin } from './backend/host-import.ts';
export { adamScalars, sgdScalars, type AdamScalars, type SgdScalars } from './backend/fused-scalars.ts';
export {
  registerBackend, setBackend, startBackend, init, getBackendName, defaultBackend, backendFor,
  type BackendRegistration, type InitOptions,
} from './backend/registry.ts';

export { Tensor, type TensorLike, type NestedArray } from './tensor/tensor.ts';
export { promoteTypes } from './tensor/dtype.ts';
export { broadcastShapes, type Shape } from './tensor/shape.ts';

export { tidy, keep, memory, type MemoryInfo } from './memory/scope.ts';
export { setGrowthWarning } from './memory/growth-warning.ts';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/mode.ts';
export * as autograd from './autograd/index.ts';
export { RemovableHandle, type TensorHook } from './autograd/hooks.ts';

export { Generator, manualSeed, defaultGenerator } from './random/generator.ts';

export {
  tensor, full, zeros, ones, empty, zerosLike, onesLike, fullLike, emptyLike, arange, linspace, eye,
  rand, randn, randint, randperm, randLike, randnLike,
  type CreateOptions, type RandomOptions, type NestedData,
} from './ops/creation.ts';
export {
  add, sub, mul, div, pow, maximum, minimum, neg, abs, sign, floor, ceil, round, exp, log, log1p, sqrt, rsqrt,
  reciprocal, sin, cos, tanh, sigmoid, relu, erf, erfc, gelu, silu, softplus, leakyRelu, clamp, where,
  type AlphaOptions, type GeluOptions, type SoftplusOptions,
} from './ops/elementwise.ts';
export { eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalNot, isnan, isfinite } from './ops/compare.ts';
export { asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh } from './ops/trig.ts';
export { expm1, exp2, log2, log10, xlogy, logaddexp, erfinv, lgamma, digamma } from './ops/special.ts';
export { trunc, frac } from './ops/rounding.ts';
export { fmod, remainder, floorDivide } from './ops/division.ts';
export {
  square, sgn, hypot, lerp, addcmul, addcdiv, nanToNum, clampMin, clampMax, isinf, isposinf, isneginf, isclose, allclose, equal,
  type NanToNumOptions, type IsCloseOptions, type ValueOptions,
} from './ops/math.ts';
export { nansum, nanmean, countNonzero, aminmax, stdMean, varMean, type MinMax, type AminmaxOptions } from './ops/statistics.ts';
export { norm, dist, cdist, type NormOrder } from './ops/norm.ts';
export { selu, celu, threshold, prelu, rrelu, hardshrink, type RreluOptions } from './ops/activation.ts';
export * as linalg from './linalg/index.ts';
export {
  sum, mean, prod, amax, amin, max, min, maxDim, minDim, argmax, argmin, variance as var, std, logsumexp, all, any, cumsum,
  type ValuesIndices, type VarOptions,
} from './ops/reduce.ts';
export { softmax, logSoftmax } from './ops/softmax.ts';
export {
  reshape, viewShape as view, flatten, permute, transpose, expand, squeeze, unsqueeze, narrow, select,
  contiguous, clone, detach, diagonal, type IndexSpec, type SliceSpec,
} from './ops/view.ts';
export {
  tril, triu, diag, diagEmbed, trace, repeatInterleave, tile, flip, fliplr, flipud, roll, rot90, movedim, movedim as moveaxis,
  unflatten, unbind, meshgrid, outer, kron, cross, diff, type MeshgridOptions, type DiffOptions,
} from './ops/shape.ts';
export { expand as broadcastTo, transpose as swapaxes, transpose as swapdims } from './ops/view.ts';
export { pixelShuffle, pixelUnshuffle } from './nn/functional/interpolate.ts';
export { cumprod, cummax, cummin, logcumsumexp } from './ops/scan.ts';
export { maskedFill } from './ops/masked.ts';
export { indexAdvanced as index, nonzero, nonzeroAsync, argwhere, type AdvancedIndexSpec, type NonzeroOptions } from './ops/advanced-index.ts';
export { indexAdd, indexCopy, indexFill, scatter, maskedSelect, maskedScatter, type ScatterOptions } from './ops/index-writes.ts';
export {
  sort, argsort, msort, topk, kthvalue, median, mode, searchsorted, bucketize, type SortOptions, type TopkOptions, type SearchOptions,
} from './ops/sort.ts';
export { unique, uniqueAsync, uniqueConsecutive, uniqueConsecutiveAsync, type UniqueOptions, type UniqueResult } from './ops/unique.ts';
export { cat, stack, split, chunk } from './ops/join.ts';
export { matmul, mm, bmm } from './ops/linalg.ts';
export { einsum, tensordot } from './ops/einsum.ts';
export { conv2d, type Conv2dOptions } from './ops/conv.ts';
export { conv1d, convTranspose1d, convTranspose2d, type Conv1dOptions, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from './ops/conv-transpose.ts';
export { conv3d, type Conv3dOptions } from './ops/conv3d.ts';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from './ops/pool.ts';
export { maxPool1d, avgPool1d, adaptiveAvgPool1d, type MaxPool1dOptions, type AvgPool1dOptions } from './ops/pool1d.ts';
export { gather, scatterAdd, indexSelect, embedding, oneHot, take, takeAlongDim } from './ops/indexing.ts';
export { dropout } from './ops/dropout.ts';
export { cast } from './ops/cast.ts';

export { multinomial, bernoulli, normal, type SamplingOptions, type MultinomialOptions, type NormalOptions } from './ops/sampling.ts';
export { poisson } from './ops/poisson.ts';
export * as distributions from './distributions/index.ts';
export * as nn from './nn/index.ts';
export * as optim from './optim/index.ts';
export * as data from './data/index.ts';
export * from './io/index.ts';
export * as profiler from './profiler/index.ts';
export * as tracing from './trace/index.ts';
