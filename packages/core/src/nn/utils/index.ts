export { clipGradNorm_, clipGradValue_ } from './clip-grad.ts';
export * as rnn from './rnn.ts';
export { cloneModule } from './clone.ts';
