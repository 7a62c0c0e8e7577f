/** Op families: how fixture cases are grouped in test names and in the README's backend x op matrix. */
const members: Record<string, readonly string[]> = {
  'elementwise math': ['neg', 'abs', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'reciprocal', 'sin', 'cos', 'tanh', 'erf', 'erfc', 'sign', 'floor', 'ceil', 'round', 'clamp', 'pow', 'powScalar'],
  activations: ['sigmoid', 'relu', 'silu', 'gelu', 'geluTanh', 'softplus', 'leakyRelu'],
  'binary and broadcasting': ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'addAlpha', 'rsubScalar', 'where'],
  reductions: ['sum', 'mean', 'var', 'std', 'amax', 'maxValues', 'minValues', 'maxAll', 'argmax', 'argmin', 'prod', 'logsumexp', 'cumsum'],
  'softmax family': ['softmax', 'logSoftmax'],
  'views and joins': ['permuteMul', 'transposeReshape', 'sliceStep', 'expandSum', 'cat', 'stack'],
  matmul: ['matmul', 'matmulT'],
  convolution: ['conv2d', 'conv2dWith', 'conv1d', 'convTranspose2d', 'convTranspose2dT', 'convTranspose1d', 'conv3d'],
  pooling: ['maxPool2d', 'avgPool2d', 'adaptiveAvgPool2d', 'maxPool1d', 'avgPool1d', 'adaptiveAvgPool1d', 'maxUnpool2d', 'adaptiveMaxPool2d', 'adaptiveMaxPool2dIndices'],
  indexing: ['gather', 'scatterAdd', 'indexSelect', 'embedding'],
  'nn layers': ['Linear', 'Conv2d', 'Conv2dModule', 'Conv1dModule', 'Conv3dModule', 'ConvTranspose2dModule', 'ConvTranspose1dModule', 'Upsample', 'PixelShuffle', 'PixelUnshuffle', 'Unfold', 'Fold', 'MaxPool2d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'Embedding', 'Flatten', 'Dropout', 'Identity', 'Sequential'],
  'nn normalization': ['BatchNorm1d', 'BatchNorm2d', 'BatchNorm2dRunningStats', 'LayerNorm', 'GroupNorm'],
  'nn activations': ['GELU', 'ReLU', 'LeakyReLU', 'SiLU', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax'],
  'nn activation modules': [
    'ELU', 'SELU', 'CELU', 'Mish', 'Hardtanh', 'ReLU6', 'Hardswish', 'Hardsigmoid', 'LogSigmoid', 'Softsign', 'Tanhshrink', 'Softshrink',
    'Hardshrink', 'Threshold', 'PReLU', 'RReLU', 'GLU', 'Softmin', 'Softplus', 'Softmax2d',
  ],
  'nn normalization II': ['RMSNorm', 'InstanceNorm1d', 'InstanceNorm2d', 'BatchNorm3d', 'LocalResponseNorm', 'RunningStats'],
  'nn regularization and distance': ['Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'Unflatten', 'CosineSimilarity', 'PairwiseDistance', 'Bilinear', 'EmbeddingBag'],
  'nn recurrent': ['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell', 'padSequence'],
  'nn attention': ['MultiheadAttention', 'TransformerEncoderLayer', 'scaledDotProductAttention'],
  'nn transformer': ['MultiheadAttentionModule', 'TransformerEncoder', 'TransformerDecoderLayer', 'TransformerDecoder', 'Transformer', 'generateSquareSubsequentMask'],
  losses: ['CrossEntropyLoss', 'NLLLoss', 'KLDivLoss', 'BCEWithLogitsLoss', 'BCELoss', 'MSELoss', 'L1Loss', 'SmoothL1Loss', 'HuberLoss'],
  'second derivatives': ['gradOf'],
};

const familyOf = new Map(Object.entries(members).flatMap(([family, ops]) => ops.map((op) => [op, family] as const)));

/** The family of a fixture op; ops of other fixture files fall back to the file's name. */
export function opFamily(op: string, file: string): string {
  return familyOf.get(op) ?? file;
}
