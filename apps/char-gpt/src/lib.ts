/**
 * What another program imports as `@flint/example-char-gpt/model`: the model, its vocabulary, batches,
 * training step and sampling, all of which run wherever `@flint/core` does (a web page included).
 * The book's reader (`./corpus`, the file system) and the command line stay out of it.
 */
export { GPT, type GPTConfig, type GenerateOptions } from './model.ts';
export { splitIds, Vocabulary } from './text.ts';
export { getBatch } from './batch.ts';
export { configureOptimizer, learningRate, trainStep, type OptimConfig } from './optim.ts';
export { sampleText, type SampleOptions } from './sample.ts';
