export { Linear, Identity, type LinearOptions } from './linear.ts';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, type Conv2dLayerOptions, type ConvLayerOptions, type ConvTransposeLayerOptions } from './conv.ts';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, MaxUnpool2d, AdaptiveMaxPool2d, type MaxUnpool2dLayerOptions } from './pooling.ts';
export { BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from './batchnorm.ts';
export { LayerNorm, GroupNorm, type LayerNormOptions, type GroupNormOptions } from './normalization.ts';
export { Dropout } from './dropout.ts';
export { Embedding, type EmbeddingLayerOptions } from './embedding.ts';
export { Flatten } from './flatten.ts';
export { Sequential, ModuleList, ModuleDict } from './containers.ts';
export { ReLU, LeakyReLU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activation.ts';
export { MultiheadAttention, NonDynamicallyQuantizableLinear, type MultiheadAttentionLayerOptions } from './attention.ts';
export {
  TransformerEncoderLayer, TransformerEncoder, type TransformerEncoderLayerOptions, type TransformerEncoderLayerForwardOptions, type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions, type TransformerActivation, type EncoderLayerModule, type NormModule,
} from './transformer-encoder.ts';
export {
  TransformerDecoderLayer, TransformerDecoder, type TransformerDecoderLayerOptions, type TransformerDecoderForwardOptions, type TransformerDecoderOptions,
  type DecoderLayerModule,
} from './transformer-decoder.ts';
export { Transformer, type TransformerOptions, type TransformerForwardOptions, type DeviceOptions, type EncoderModule, type DecoderModule } from './transformer.ts';
export { RNN, LSTM, GRU, type RecurrentOptions, type RNNOptions, type LSTMOptions, type RecurrentInput } from './recurrent.ts';
export { RNNCell, LSTMCell, GRUCell, type RNNCellOptions, type ElmanCellOptions, type RNNNonlinearity } from './recurrent-cells.ts';
export { Upsample, PixelShuffle, PixelUnshuffle, Unfold, Fold, type UpsampleOptions } from './resampling.ts';
export {
  ELU, SELU, CELU, Mish, Hardtanh, ReLU6, Hardswish, Hardsigmoid, LogSigmoid, Softsign, Tanhshrink, Softshrink, Hardshrink, Threshold,
  PReLU, RReLU, GLU, Softmin, Softplus, Softmax2d, type RReLUOptions,
} from './activation-extra.ts';
export { BatchNorm3d } from './batchnorm.ts';
export { RMSNorm, LocalResponseNorm, type RMSNormOptions, type LocalResponseNormLayerOptions } from './normalization.ts';
export { InstanceNorm1d, InstanceNorm2d, type InstanceNormLayerOptions } from './instance-norm.ts';
export { Dropout1d, Dropout2d, Dropout3d, AlphaDropout, type DropoutLayerOptions } from './dropout.ts';
export { Unflatten } from './flatten.ts';
export { CosineSimilarity, PairwiseDistance } from './distance.ts';
export { Bilinear, type BilinearOptions } from './bilinear.ts';
export { EmbeddingBag, type EmbeddingBagLayerOptions } from './embedding-bag.ts';
