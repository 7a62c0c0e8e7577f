/** torch.nn.functional's operations in camelCase: the stateless forms the layers and losses are built on. */
export { relu, sigmoid, tanh, gelu, silu, softplus, leakyRelu } from '../ops/elementwise.ts';
export { softmax, logSoftmax } from '../ops/softmax.ts';
export {
  elu, selu, celu, mish, hardtanh, relu6, hardswish, hardsigmoid, logsigmoid, softsign, tanhshrink, softshrink, hardshrink,
  threshold, prelu, rrelu, glu, softmin, gumbelSoftmax, type RreluOptions, type GumbelSoftmaxOptions,
} from '../ops/activation.ts';
export { normalize, type NormalizeOptions } from '../ops/norm.ts';
export { conv2d, type Conv2dOptions } from '../ops/conv.ts';
export { conv1d, convTranspose1d, convTranspose2d, type Conv1dOptions, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from '../ops/conv-transpose.ts';
export { conv3d, type Conv3dOptions } from '../ops/conv3d.ts';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from '../ops/pool.ts';
export { maxPool1d, avgPool1d, adaptiveAvgPool1d, type Pool1dOptions, type MaxPool1dOptions, type AvgPool1dOptions } from '../ops/pool1d.ts';
export { maxUnpool2d, type MaxUnpool2dOptions } from '../ops/unpool.ts';
export { adaptiveMaxPool2d } from '../ops/adaptive-max-pool.ts';
export { dropout, featureDropout, alphaDropout, type DropoutOptions } from '../ops/dropout.ts';
export { oneHot } from '../ops/indexing.ts';
export { linear, bilinear } from './functional/linear.ts';
export { embedding, type EmbeddingOptions } from './functional/embedding.ts';
export { embeddingBag, type EmbeddingBagOptions, type EmbeddingBagMode } from './functional/embedding-bag.ts';
export {
  batchNorm, layerNorm, groupNorm, rmsNorm, instanceNorm, localResponseNorm,
  type NormOptions, type BatchNormOptions, type InstanceNormOptions, type LocalResponseNormOptions, type RMSNormFunctionalOptions,
} from './functional/normalization.ts';
export { cosineSimilarity, pairwiseDistance, type CosineSimilarityOptions, type PairwiseDistanceOptions } from './functional/distance.ts';
export {
  scaledDotProductAttention, multiHeadAttentionForward,
  type ScaledDotProductAttentionOptions, type MultiHeadAttentionParams, type MultiHeadAttentionOptions,
} from './functional/attention.ts';
export {
  nllLoss, crossEntropy, mseLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, klDiv,
  type Reduction, type ReductionOptions, type NLLLossOptions, type CrossEntropyOptions, type SmoothL1Options, type HuberOptions,
  type BCEOptions, type BCEWithLogitsOptions, type KLDivOptions,
} from './losses/index.ts';
export { pad, type PadMode } from './functional/padding.ts';
export { interpolate, pixelShuffle, pixelUnshuffle, type InterpolateMode, type InterpolateOptions } from './functional/interpolate.ts';
export { unfold, fold, type FoldOptions } from './functional/fold.ts';
export { affineGrid, gridSample, type GridSampleOptions } from './functional/grid-sample.ts';
