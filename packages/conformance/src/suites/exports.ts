/**
 * Bad input across the whole public surface, generated from the package's exports: every exported
 * function, nn.functional function and Tensor method is listed once below, so an export added without being listed
 * fails the first test. Those whose first argument is a tensor are called with a disposed tensor
 * and with a string; each must throw an error that starts with its own name (an op built from
 * others must not report an op inside it) and change nothing. The rest say where their arguments
 * are checked instead.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';

type AnyFunction = (...args: unknown[]) => unknown;

/** Exported functions (not classes or namespaces) of @flint/core. */
function exportedFunctions(): string[] {
  return Object.entries(flint).filter(([, v]) => typeof v === 'function' && !/^class\b/.test(Function.prototype.toString.call(v)) && !/^[A-Z]/.test((v as AnyFunction).name)).map(([k]) => k).sort();
}

/** Tensor's own methods. */
function tensorMethods(): string[] {
  const proto = flint.Tensor.prototype;
  return Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, k)!.value === 'function').sort();
}

const TENSOR_FIRST: readonly string[] = [
  'abs', 'acos', 'acosh', 'adaptiveAvgPool1d', 'adaptiveAvgPool2d', 'add', 'addcdiv', 'addcmul', 'all',
  'allclose', 'amax', 'amin', 'aminmax', 'any', 'argmax', 'argmin', 'argsort', 'argwhere', 'asin', 'asinh',
  'atan', 'atan2', 'atanh', 'avgPool1d', 'avgPool2d', 'bernoulli', 'bmm', 'bucketize', 'cast', 'cdist',
  'ceil', 'celu', 'chunk', 'clamp', 'clampMax', 'clampMin', 'clone', 'contiguous', 'conv1d', 'conv2d',
  'conv3d', 'convTranspose1d', 'convTranspose2d', 'cos', 'cosh', 'countNonzero', 'cross', 'cummax', 'cummin',
  'cumprod', 'cumsum', 'detach', 'diag', 'diagEmbed', 'diagonal', 'diff', 'digamma', 'dist', 'div',
  'dropout', 'embedding', 'emptyLike', 'eq', 'equal', 'erf', 'erfc', 'erfinv', 'exp', 'exp2', 'expand',
  'expm1', 'flatten', 'flip', 'fliplr', 'flipud', 'floor', 'floorDivide', 'fmod', 'frac', 'fullLike',
  'gather', 'ge', 'gelu', 'gt', 'hardshrink', 'hypot', 'index', 'indexAdd', 'indexCopy', 'indexFill',
  'indexSelect', 'isclose', 'isfinite', 'isinf', 'isnan', 'isneginf', 'isposinf', 'keep', 'kron', 'kthvalue',
  'le', 'leakyRelu', 'lerp', 'lgamma', 'log', 'log10', 'log1p', 'log2', 'logSoftmax', 'logaddexp',
  'logcumsumexp', 'logicalAnd', 'logicalNot', 'logicalOr', 'logsumexp', 'lt', 'maskedFill', 'maskedScatter',
  'maskedSelect', 'matmul', 'max', 'maxDim', 'maxPool1d', 'maxPool2d', 'maxPool2dWithIndices', 'maximum',
  'mean', 'median', 'min', 'minDim', 'minimum', 'mm', 'mode', 'movedim', 'msort', 'mul', 'multinomial',
  'nanToNum', 'nanmean', 'nansum', 'narrow', 'ne', 'neg', 'nonzero', 'nonzeroAsync', 'norm', 'oneHot',
  'onesLike', 'outer', 'permute', 'pixelShuffle', 'pixelUnshuffle', 'poisson', 'pow', 'prelu', 'prod',
  'randLike', 'randnLike', 'reciprocal', 'relu', 'remainder', 'repeatInterleave', 'reshape', 'roll', 'rot90',
  'round', 'rrelu', 'rsqrt', 'scatter', 'scatterAdd', 'searchsorted', 'select', 'selu', 'sgn', 'sigmoid',
  'sign', 'silu', 'sin', 'sinh', 'softmax', 'softplus', 'sort', 'split', 'sqrt', 'square', 'squeeze', 'std',
  'stdMean', 'sub', 'sum', 'take', 'takeAlongDim', 'tanh', 'tensordot', 'threshold', 'tile', 'topk', 'trace',
  'transpose', 'tril', 'triu', 'trunc', 'unbind', 'unflatten', 'unique', 'uniqueAsync', 'uniqueConsecutive',
  'uniqueConsecutiveAsync', 'unsqueeze', 'var', 'varMean', 'view', 'where', 'xlogy', 'zerosLike',
];

/** Functions whose first argument is not a tensor (a size, a list, a function, a flag), which still reject a tensor or a string under their own name. */
const NAMED_REJECTIONS: readonly string[] = [
  'cat', 'empty', 'enableGrad', 'full', 'noGrad', 'ones', 'rand', 'randint', 'randn', 'setGrowthWarning',
  'stack', 'tensor', 'tidy', 'zeros',
];

const TENSOR_METHODS: readonly string[] = [
  'abs', 'acos', 'acosh', 'add', 'add_', 'addcdiv', 'addcmul', 'all', 'allclose', 'amax', 'amin', 'aminmax',
  'any', 'argmax', 'argmin', 'argsort', 'argwhere', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'backward',
  'bool', 'ceil', 'chunk', 'clamp', 'clampMax', 'clampMin', 'clamp_', 'clone', 'contiguous', 'copy_', 'cos',
  'cosh', 'countNonzero', 'cross', 'cummax', 'cummin', 'cumprod', 'cumsum', 'data', 'dataSync', 'detach',
  'diag', 'diagEmbed', 'diagonal', 'diff', 'digamma', 'dist', 'div', 'div_', 'eq', 'equal', 'erfinv', 'exp',
  'exp2', 'expand', 'expandAs', 'expm1', 'fill_', 'flatten', 'flip', 'fliplr', 'flipud', 'float', 'floor',
  'floorDivide', 'fmod', 'frac', 'gather', 'ge', 'gt', 'hardshrink', 'hypot', 'index', 'indexAdd',
  'indexAdd_', 'indexCopy', 'indexCopy_', 'indexFill', 'indexFill_', 'indexPut_', 'indexSelect', 'int',
  'isclose', 'isfinite', 'isinf', 'isnan', 'isneginf', 'isposinf', 'item', 'itemSync', 'kron', 'kthvalue',
  'le', 'lerp', 'lgamma', 'log', 'log10', 'log1p', 'log2', 'logSoftmax', 'logaddexp', 'logcumsumexp',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logsumexp', 'lt', 'maskedFill', 'maskedFill_', 'maskedScatter',
  'maskedScatter_', 'maskedSelect', 'matmul', 'max', 'maximum', 'mean', 'median', 'min', 'minimum', 'mode',
  'movedim', 'msort', 'mul', 'mul_', 'nanToNum', 'nanmean', 'nansum', 'narrow', 'ne', 'neg', 'newEmpty',
  'newFull', 'newOnes', 'newTensor', 'newZeros', 'nonzero', 'norm', 'outer', 'permute', 'pow', 'prelu',
  'prod', 'reciprocal', 'registerHook', 'relu', 'remainder', 'repeat', 'repeatInterleave', 'requiresGrad_',
  'reshape', 'reshapeAs', 'retainGrad', 'roll', 'rot90', 'round', 'rsqrt', 'scatter', 'scatterAdd',
  'scatter_', 'select', 'setData', 'setIndex', 'sgn', 'sigmoid', 'sign', 'sin', 'sinh', 'softmax', 'sort',
  'split', 'sqrt', 'square', 'squeeze', 'std', 'sub', 'sub_', 'sum', 'take', 'takeAlongDim', 'tanh', 'tile',
  'to', 'toAsync', 'tolist', 'tolistSync', 'topk', 'trace', 'transpose', 'tril', 'triu', 'trunc', 'typeAs',
  'unbind', 'unflatten', 'unique', 'uniqueConsecutive', 'unsqueeze', 'var', 'view', 'viewAs', 'where',
  'xlogy', 'zero_',
];

const OTHER: Readonly<Record<string, string>> = {
  adamScalars: 'a backend-author helper over plain numbers',
  arange: 'creation from numbers: the bad values suite',
  backendFor: 'takes a device name: the registry tests',
  broadcastShapes: 'takes shapes: the op name is its first argument',
  contiguousStrides: 'a backend-author helper over plain shapes',
  defaultBackend: 'takes no argument',
  deserialize: 'takes bytes: the corrupt safetensors suite',
  einsum: 'takes an equation first: the einsum fixtures and errors',
  eye: 'creation from numbers: the bad values suite',
  getBackendName: 'takes no argument',
  importNodeBuiltin: 'takes a module specifier',
  init: 'takes no argument: the registry tests',
  isContiguous: 'a backend-author helper over plain shapes',
  isGradEnabled: 'takes no argument',
  linspace: 'creation from numbers: the bad values suite',
  load: 'takes a path: the io suites',
  loadWithMetadata: 'takes a path: the io suites',
  manualSeed: 'takes a seed: the random suite',
  memory: 'takes no argument',
  mergeDims: 'a backend-author helper over plain shapes',
  meshgrid: 'takes a list of tensors: the shape fixtures',
  normal: 'takes tensors or numbers: the sampling suite',
  numel: 'a backend-author helper over plain shapes',
  promoteTypes: 'takes dtypes: the dtypes suite',
  randperm: 'creation from numbers: the bad values suite',
  registerBackend: 'takes a registration: the registry tests',
  save: 'takes a state and a path: the io suites',
  serialize: 'takes a state: the io suites',
  setBackend: 'takes a device name: the registry tests',
  setFusedKernels: 'a switch for tests and benchmarks',
  setGradEnabled: 'takes a boolean',
  sgdScalars: 'a backend-author helper over plain numbers',
  sortLines: 'a backend-author helper over plain arrays',
  startBackend: 'takes a device name: the registry tests',
  viewAmong: 'a backend-author helper over backend views',
};

const METHOD_EXCEPTIONS: Readonly<Record<string, string>> = {
  assertAlive: 'is the check itself',
  assertGrad: 'internal',
  assertItem: 'internal',
  contiguousStorageTensor: 'internal',
  dim: 'reads metadata, which a disposed tensor keeps',
  dispose: 'is idempotent',
  format: 'prints tensor(<disposed>)',
  isContiguous: 'reads metadata, which a disposed tensor keeps',
  joinViewGroup: 'internal',
  likeThis: 'internal',
  numel: 'reads metadata, which a disposed tensor keeps',
  readSync: 'internal',
  rederive: 'internal',
  setGradFn: 'internal',
  toString: 'prints tensor(<disposed>)',
};

/** nn.functional's functions, all of which take a tensor first. */
const FUNCTIONAL_TENSOR_FIRST: readonly string[] = [
  'adaptiveAvgPool1d', 'adaptiveAvgPool2d', 'affineGrid', 'alphaDropout', 'avgPool1d', 'avgPool2d',
  'batchNorm', 'bilinear', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'celu', 'conv1d', 'conv2d',
  'conv3d', 'convTranspose1d', 'convTranspose2d', 'cosineSimilarity', 'crossEntropy', 'dropout', 'elu',
  'embedding', 'embeddingBag', 'featureDropout', 'fold', 'gelu', 'glu', 'gridSample', 'groupNorm',
  'gumbelSoftmax', 'hardshrink', 'hardsigmoid', 'hardswish', 'hardtanh', 'huberLoss', 'instanceNorm',
  'interpolate', 'klDiv', 'l1Loss', 'layerNorm', 'leakyRelu', 'linear', 'localResponseNorm', 'logSoftmax',
  'logsigmoid', 'maxPool1d', 'maxPool2d', 'maxPool2dWithIndices', 'maxUnpool2d', 'mish', 'mseLoss',
  'multiHeadAttentionForward', 'nllLoss', 'normalize', 'oneHot', 'pad', 'pairwiseDistance', 'pixelShuffle',
  'pixelUnshuffle', 'prelu', 'relu', 'relu6', 'rmsNorm', 'rrelu', 'scaledDotProductAttention', 'selu',
  'sigmoid', 'silu', 'smoothL1Loss', 'softmax', 'softmin', 'softplus', 'softshrink', 'softsign', 'tanh',
  'tanhshrink', 'threshold', 'unfold',
];

/** nn.functional functions whose errors use PyTorch's snake_case name, as PyTorch's messages do. */
const FUNCTIONAL_SNAKE_NAMES: Readonly<Record<string, string>> = { adaptiveMaxPool2d: 'adaptive_max_pool2d' };

/** Exports that are other names for an op, and report under its name, as PyTorch's aliases do. */
const ALIASES: Readonly<Record<string, string>> = { broadcastTo: 'expand', moveaxis: 'movedim', swapaxes: 'transpose', swapdims: 'transpose' };

/** Calls `call` and returns what it threw (awaiting a returned Promise), or null. */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return null;
  } catch (err) {
    return err;
  }
}

export function exportsSuite(ctx: SuiteContext): void {
  describe('bad input: every export, generated from the exports', () => {
    it('every exported function and Tensor method is listed exactly once', () => {
      const listed = [...TENSOR_FIRST, ...NAMED_REJECTIONS, ...Object.keys(OTHER), ...Object.keys(ALIASES)];
      expect(listed.filter((name, i) => listed.indexOf(name) !== i), 'listed twice').toEqual([]);
      expect(exportedFunctions().filter((name) => !listed.includes(name)), 'exported but not listed: add each to a table in suites/exports.ts').toEqual([]);
      expect(listed.filter((name) => !exportedFunctions().includes(name)), 'listed but no longer exported').toEqual([]);
      const functional = Object.entries(flint.nn.functional).filter(([, v]) => typeof v === 'function').map(([k]) => k);
      const listedFunctional = [...FUNCTIONAL_TENSOR_FIRST, ...Object.keys(FUNCTIONAL_SNAKE_NAMES)];
      expect(functional.filter((name) => !listedFunctional.includes(name)), 'nn.functional functions not listed: add each to a table in suites/exports.ts').toEqual([]);
      const methods = [...TENSOR_METHODS, ...Object.keys(METHOD_EXCEPTIONS), ...Object.keys(ALIASES)];
      expect(tensorMethods().filter((name) => !methods.includes(name)), 'Tensor methods not listed: add each to a table in suites/exports.ts').toEqual([]);
    });

    const disposed = (): flint.Tensor => {
      const t = flint.ones([2, 2], { device: ctx.name });
      t.dispose();
      return t;
    };

    /** Both calls of `name` on bad first arguments throw under `reported`, leaving memory as it was. */
    async function expectNamedRejections(reported: string, call: (first: unknown) => unknown): Promise<void> {
      const before = flint.memory();
      const ofDisposed = await thrown(() => call(disposed()));
      expect(ofDisposed, 'a disposed tensor is rejected').toBeInstanceOf(Error);
      expect((ofDisposed as Error).message).toMatch(new RegExp(`^${reported}\\(\\): .*disposed`));
      const ofString = await thrown(() => call('7'));
      expect(ofString, 'a string is rejected').toBeInstanceOf(TypeError);
      expect((ofString as Error).message).toMatch(new RegExp(`^${reported}\\(\\): `));
      const after = flint.memory();
      expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
    }

    const fn = (name: string): AnyFunction => (flint as unknown as Record<string, AnyFunction>)[name]!;
    for (const name of TENSOR_FIRST) {
      it(`flint.${name}() rejects a disposed tensor and a string under its own name`, () => expectNamedRejections(name, (first) => fn(name)(first)));
    }
    for (const name of NAMED_REJECTIONS) {
      it(`flint.${name}() rejects a tensor or a string where it takes something else, under its own name`, async () => {
        for (const bad of [disposed(), '7']) {
          const err = await thrown(() => fn(name)(bad));
          expect(err, `${name}(${typeof bad})`).toBeInstanceOf(Error);
          expect((err as Error).message).toMatch(new RegExp(`^${name}\\(\\): `));
        }
      });
    }
    for (const [name, canonical] of Object.entries(ALIASES)) {
      it(`flint.${name}() rejects bad input under the name of ${canonical}`, () => expectNamedRejections(canonical, (first) => fn(name)(first)));
    }
    const functional = (name: string): AnyFunction => (flint.nn.functional as unknown as Record<string, AnyFunction>)[name]!;
    for (const name of FUNCTIONAL_TENSOR_FIRST) {
      it(`nn.functional.${name}() rejects a disposed tensor and a string under its own name`, () => expectNamedRejections(name, (first) => functional(name)(first)));
    }
    for (const [name, reported] of Object.entries(FUNCTIONAL_SNAKE_NAMES)) {
      it(`nn.functional.${name}() rejects a disposed tensor and a string as ${reported}`, () => expectNamedRejections(reported, (first) => functional(name)(first)));
    }
    for (const name of TENSOR_METHODS) {
      it(`Tensor.${name}() of a disposed tensor names itself`, async () => {
        const err = await thrown(() => (disposed() as unknown as Record<string, AnyFunction>)[name]!());
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(new RegExp(`^${name}\\(\\): .*disposed`));
      });
    }
  });
}
