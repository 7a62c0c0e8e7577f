export { clipGradNorm_, clipGradValue_ } from './clip-grad.ts';
export { parametersToVector, vectorToParameters } from './parameter-vector.ts';
export * as rnn from './rnn.ts';
