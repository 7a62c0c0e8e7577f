/**
 * flint.data: datasets, samplers and DataLoader, like torch.utils.data.
 * @example
 * const ds = new flint.data.TensorDataset(x, y);
 * const [train, val] = flint.data.randomSplit(ds, [0.9, 0.1]);
 * for await (const [xb, yb] of new flint.data.DataLoader(train, { batchSize: 64, shuffle: true, numWorkers: 2 })) { ... }
 */
export { Dataset, IterableDataset, AsyncIterableDataset, type AnyDataset, type WorkerSource } from './dataset.ts';
export { TensorDataset } from './tensor-dataset.ts';
export { Subset } from './subset.ts';
export { ConcatDataset } from './concat-dataset.ts';
export { randomSplit } from './random-split.ts';
export { SequentialSampler, type Sampler } from './sampler.ts';
export { RandomSampler, SubsetRandomSampler, type RandomSamplerOptions } from './random-sampler.ts';
export { WeightedRandomSampler, type WeightedRandomSamplerOptions } from './weighted-random-sampler.ts';
export { BatchSampler } from './batch-sampler.ts';
export { defaultCollate, type Collated } from './default-collate.ts';
export { DataLoader } from './data-loader.ts';
export type { DataLoaderOptions } from './loader-options.ts';
export { workerInfo, type WorkerInfo } from './worker-info.ts';
export { liveWorkers } from './worker-pool.ts';
