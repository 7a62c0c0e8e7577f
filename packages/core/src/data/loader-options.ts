import type { Generator } from '../random/generator.ts';
import type { WorkerSource } from './dataset.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkOptionValues } from '../options/check-values.ts';
import { typeName } from '../tensor/type-name.ts';

/** DataLoader's options: PyTorch's, in camelCase. */
export interface DataLoaderOptions<T, B> {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Draw a new random order every epoch (default false). Excludes `sampler`. */
  shuffle?: boolean;
  /** The indices to read, in order. Excludes `shuffle`. */
  sampler?: Iterable<number>;
  /** Batches of indices. Excludes `batchSize`, `shuffle`, `sampler` and `dropLast`. */
  batchSampler?: Iterable<readonly number[]>;
  /** Worker threads that fetch and collate batches (default 0: the iterating thread does it). */
  numWorkers?: number;
  /**
   * Merges a list of items into a batch (default {@link defaultCollate}). With workers it runs on
   * the main thread over the items they fetched; tensors among the items arrive rebuilt, other
   * values by structured clone. It runs inside `flint.tidy`, so tensors it returns must be
   * reachable through arrays, plain objects or Maps.
   */
  collateFn?: (items: T[]) => B;
  /** Accepted for PyTorch compatibility and ignored: flint has no pinned host memory. */
  pinMemory?: boolean;
  /** Drop the last batch when it is short (default false). */
  dropLast?: boolean;
  /** Milliseconds to wait for a batch from the workers before failing (default 0: no limit). PyTorch counts seconds. */
  timeout?: number;
  /** A module export each worker calls, with its worker id then `args`, after building its dataset (PyTorch's worker_init_fn). */
  workerInit?: WorkerSource;
  /** Batches each worker prepares ahead (default 2); only with workers. */
  prefetchFactor?: number;
  /** Keep the workers from one epoch to the next until `close()` (default false). */
  persistentWorkers?: boolean;
  /** The random stream for shuffling and worker seeds (default flint's default generator). */
  generator?: Generator;
}

const DATA_LOADER_OPTIONS: OptionKeys<DataLoaderOptions<unknown, unknown>> = {
  batchSize: true, shuffle: true, sampler: true, batchSampler: true, numWorkers: true, collateFn: true, pinMemory: true, dropLast: true,
  timeout: true, workerInit: true, prefetchFactor: true, persistentWorkers: true, generator: true,
};

/** Rejects unknown options, and the option combinations PyTorch rejects, with its wording. */
export function checkLoaderOptions(options: DataLoaderOptions<unknown, unknown>, iterable: boolean): void {
  checkOptions('DataLoader', options, DATA_LOADER_OPTIONS);
  checkOptionValues('DataLoader', options, { shuffle: 'boolean', collateFn: 'function', pinMemory: 'boolean', dropLast: 'boolean', persistentWorkers: 'boolean', generator: 'Generator' });
  for (const name of ['sampler', 'batchSampler'] as const) {
    const value = options[name];
    if (value !== undefined && typeof (value as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(`DataLoader: ${name} option should be an iterable, but got ${typeName(value)}`);
    }
  }
  const { numWorkers = 0, timeout = 0, prefetchFactor, persistentWorkers, shuffle, sampler, batchSampler, batchSize, dropLast } = options;
  if (!Number.isInteger(numWorkers) || numWorkers < 0) {
    throw new RangeError(`DataLoader: numWorkers option should be a non-negative integer; use numWorkers=0 to disable worker threads (got ${numWorkers})`);
  }
  if (!(timeout >= 0)) throw new RangeError(`DataLoader: timeout option should be non-negative (got ${timeout})`);
  if (numWorkers === 0 && prefetchFactor !== undefined) {
    throw new TypeError('DataLoader: prefetchFactor option could only be specified with worker threads; let numWorkers > 0 to enable them, otherwise leave prefetchFactor unset');
  }
  if (prefetchFactor !== undefined && !(Number.isInteger(prefetchFactor) && prefetchFactor > 0)) {
    throw new RangeError(`DataLoader: prefetchFactor option should be a positive integer (got ${prefetchFactor})`);
  }
  if (persistentWorkers && numWorkers === 0) throw new TypeError('DataLoader: persistentWorkers option needs numWorkers > 0');
  if (iterable) {
    for (const [name, value] of Object.entries({ shuffle, sampler, batchSampler })) {
      if (value !== undefined && value !== false) {
        throw new TypeError(`DataLoader with IterableDataset: expected unspecified ${name} option, but got ${name}=${String(value)}`);
      }
    }
    if (numWorkers > 0) throw new TypeError('DataLoader: numWorkers > 0 is not supported for an IterableDataset yet; use numWorkers: 0');
    return;
  }
  if (sampler !== undefined && shuffle) throw new TypeError('DataLoader: sampler option is mutually exclusive with shuffle');
  if (batchSampler !== undefined && ((batchSize !== undefined && batchSize !== 1) || shuffle || sampler !== undefined || dropLast)) {
    throw new TypeError('DataLoader: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast');
  }
}
