export { clipGradNorm_, clipGradValue_ } from './clip-grad.ts';
export { parametersToVector, vectorToParameters } from './parameter-vector.ts';
export * as rnn from './rnn.ts';
export { weightNorm, removeWeightNorm, type WeightNormOptions, type RemoveNormOptions } from './weight-norm.ts';
export { spectralNorm, removeSpectralNorm, type SpectralNormOptions } from './spectral-norm.ts';
export { cloneModule } from './clone.ts';
