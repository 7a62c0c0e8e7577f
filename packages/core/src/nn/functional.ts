/** torch.nn.functional's names for the ops layers are built from. */
export { relu, sigmoid, tanh, gelu, silu, softplus, leakyRelu } from '../ops/elementwise.ts';
export { softmax, logSoftmax } from '../ops/softmax.ts';
export { conv2d, type Conv2dOptions } from '../ops/conv.ts';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from '../ops/pool.ts';
export { dropout, type DropoutOptions } from '../ops/dropout.ts';
export { embedding, oneHot } from '../ops/indexing.ts';
