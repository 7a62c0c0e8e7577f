import { defaultGenerator, type Generator } from '../random/generator.ts';
import { BatchSampler } from './batch-sampler.ts';
import { collateItems, fetchStart } from './collate-items.ts';
import { type AnyDataset, type AsyncIterableDataset, type Dataset, type IterableDataset, type WorkerSource, checkDataset, isMapDataset } from './dataset.ts';
import { defaultCollate, type Collated } from './default-collate.ts';
import { inOrder } from './in-order.ts';
import { checkLoaderOptions, type DataLoaderOptions } from './loader-options.ts';
import { RandomSampler } from './random-sampler.ts';
import { reviveTree } from './revive.ts';
import { SequentialSampler, checkPositiveInteger, samplerLength } from './sampler.ts';
import { WorkerPool } from './worker-pool.ts';
import { describeDataset } from './worker-spec.ts';

/**
 * Batches from a dataset, like torch.utils.data.DataLoader. Iterate with `for await` (always) or
 * `for` (when numWorkers is 0). Every iteration is an epoch; with `shuffle` each draws a new order.
 * Batches belong to the caller: dispose them (or run the step in `flint.tidy`) when done.
 *
 * With `numWorkers > 0`, worker threads fetch and collate whole batches (batch k goes to worker
 * k % numWorkers, up to `prefetchFactor` ahead per worker) and batches arrive in order, as tensors
 * on the default device. Workers rebuild the dataset themselves: TensorDataset, Subset and
 * ConcatDataset need nothing more, other datasets need a `workerSource()` method ({@link WorkerSource}).
 * @example
 * const loader = new flint.data.DataLoader(new flint.data.TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * for (const [xb, yb] of loader) {
 *   flint.tidy(() => step(xb, yb));
 *   xb.dispose(); yb.dispose();
 * }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B>, AsyncDisposable {
  readonly dataset: AnyDataset<T>;
  /** Items per batch; undefined when a batchSampler decides. */
  readonly batchSize: number | undefined;
  readonly dropLast: boolean;
  readonly numWorkers: number;
  readonly prefetchFactor: number | undefined;
  readonly persistentWorkers: boolean;
  readonly timeout: number;
  readonly generator: Generator | undefined;
  readonly collateFn: (items: T[]) => B;
  /** Where indices come from (map-style datasets without a batchSampler). */
  readonly sampler: Iterable<number> | undefined;
  /** Where batches of indices come from (map-style datasets). */
  readonly batchSampler: Iterable<readonly number[]> | undefined;
  private readonly workerCollate: boolean;
  private readonly workerInit: WorkerSource | undefined;
  private persistentPool: Promise<WorkerPool> | undefined;

  constructor(dataset: AnyDataset<T>, options: DataLoaderOptions<T, B> = {}) {
    checkDataset('DataLoader', dataset, true);
    checkLoaderOptions(options as DataLoaderOptions<unknown, unknown>, !isMapDataset(dataset));
    this.dataset = dataset;
    this.numWorkers = options.numWorkers ?? 0;
    this.prefetchFactor = this.numWorkers > 0 ? (options.prefetchFactor ?? 2) : undefined;
    this.persistentWorkers = options.persistentWorkers ?? false;
    this.timeout = options.timeout ?? 0;
    this.generator = options.generator;
    this.workerInit = options.workerInit;
    this.workerCollate = options.collateFn === undefined;
    this.collateFn = options.collateFn ?? (defaultCollate as unknown as (items: T[]) => B);
    this.dropLast = options.dropLast ?? false;
    this.batchSize = options.batchSampler ? undefined : (options.batchSize ?? 1);
    if (this.batchSize !== undefined) checkPositiveInteger('DataLoader', 'batchSize', this.batchSize);
    if (isMapDataset(dataset)) {
      this.sampler = options.batchSampler ? undefined : (options.sampler ?? (options.shuffle ? new RandomSampler(dataset, { generator: this.generator }) : new SequentialSampler(dataset)));
      this.batchSampler = options.batchSampler ?? new BatchSampler(this.sampler!, this.batchSize!, this.dropLast);
    }
  }

  /** Number of batches per epoch. */
  get length(): number {
    if (this.batchSampler) return samplerLength(this.batchSampler, 'DataLoader');
    const n = (this.dataset as { length?: unknown }).length;
    if (typeof n !== 'number') throw new TypeError('DataLoader: the IterableDataset has no length');
    return this.dropLast ? Math.floor(n / this.batchSize!) : Math.ceil(n / this.batchSize!);
  }

  /** One epoch, synchronously; only without workers. */
  [Symbol.iterator](): Iterator<B> {
    if (this.numWorkers > 0) {
      throw new TypeError('DataLoader: with numWorkers > 0 batches arrive asynchronously; iterate with `for await (const batch of loader)`');
    }
    if (isAsyncOnly(this.dataset)) throw new TypeError('DataLoader: the dataset is an AsyncIterableDataset; iterate with `for await`');
    // Drawn although unused here, so that the shuffle order is the same with and without workers.
    this.drawBaseSeed();
    return this.localBatches();
  }

  /** One epoch. */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    const baseSeed = this.drawBaseSeed();
    if (this.numWorkers > 0) return this.workerBatches(baseSeed);
    const dataset = this.dataset;
    return isAsyncOnly(dataset) ? this.asyncIterableBatches(dataset) : toAsync(this.localBatches());
  }

  /** Terminates persistent workers; the next epoch starts new ones. */
  async close(): Promise<void> {
    const pool = this.persistentPool;
    this.persistentPool = undefined;
    await (await pool?.catch(() => undefined))?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Like PyTorch, one draw per epoch from the loader's generator; workers are seeded from it. */
  private drawBaseSeed(): number {
    return (this.generator ?? defaultGenerator).uint32(1)[0]!;
  }

  private *localBatches(): IterableIterator<B> {
    if (!isMapDataset(this.dataset)) {
      yield* this.iterableBatches(this.dataset as IterableDataset<T>);
      return;
    }
    const dataset = this.dataset;
    for (const indices of this.batchSampler!) {
      const start = fetchStart();
      yield collateItems(indices.map((i) => dataset.getItem(i)), this.collateFn, start);
    }
  }

  private *iterableBatches(dataset: IterableDataset<T>): IterableIterator<B> {
    const items = dataset[Symbol.iterator]();
    try {
      for (let done = false; !done; ) {
        const start = fetchStart();
        const chunk = take(items, this.batchSize!);
        done = chunk.length < this.batchSize!;
        if (chunk.length > 0 && !(done && this.dropLast)) yield collateItems(chunk, this.collateFn, start);
      }
    } finally {
      items.return?.();
    }
  }

  private async *asyncIterableBatches(dataset: AsyncIterableDataset<T>): AsyncGenerator<B> {
    const items = dataset[Symbol.asyncIterator]();
    try {
      for (let done = false; !done; ) {
        const start = fetchStart();
        const chunk = await takeAsync(items, this.batchSize!);
        done = chunk.length < this.batchSize!;
        if (chunk.length > 0 && !(done && this.dropLast)) yield collateItems(chunk, this.collateFn, start);
      }
    } finally {
      await items.return?.();
    }
  }

  private async *workerBatches(baseSeed: number): AsyncGenerator<B> {
    const acquired = this.acquirePool(baseSeed);
    const pool = await acquired;
    let failed = false;
    try {
      const batches = this.batchSampler![Symbol.iterator]();
      let k = 0;
      const jobs = mapIterator(batches, (indices) => {
        const worker = k++ % pool.size;
        return () => pool.fetch(worker, indices);
      });
      for await (const sent of inOrder(jobs, pool.size * this.prefetchFactor!, this.timeout)) {
        if (this.workerCollate) yield reviveTree(sent) as B;
        else {
          const start = fetchStart();
          yield collateItems(reviveTree(sent) as T[], this.collateFn, start);
        }
      }
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      // Persistent workers outlive an epoch that ends or stops early, not one that failed.
      if (!this.persistentWorkers || failed || pool.broken) {
        this.forget(acquired);
        await pool.close();
      }
    }
  }

  private acquirePool(baseSeed: number): Promise<WorkerPool> {
    if (this.persistentWorkers && this.persistentPool) return this.persistentPool;
    const pool = (async () => {
      const spec = await describeDataset(this.dataset as Dataset<unknown>);
      return WorkerPool.start({ numWorkers: this.numWorkers, dataset: spec, collate: this.workerCollate, workerInit: this.workerInit }, baseSeed);
    })();
    if (this.persistentWorkers) {
      this.persistentPool = pool;
      pool.catch(() => this.forget(pool));
    }
    return pool;
  }

  private forget(pool: Promise<WorkerPool>): void {
    if (this.persistentPool === pool) this.persistentPool = undefined;
  }
}

function isAsyncOnly<T>(dataset: AnyDataset<T>): dataset is AsyncIterableDataset<T> {
  return !isMapDataset(dataset) && typeof (dataset as Partial<Iterable<T>>)[Symbol.iterator] !== 'function';
}

/** Up to `n` next items of `items`; fewer only when it ends. */
function take<T>(items: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  for (let next; out.length < n && !(next = items.next()).done; ) out.push(next.value);
  return out;
}

async function takeAsync<T>(items: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let next; out.length < n && !(next = await items.next()).done; ) out.push(next.value);
  return out;
}

function* mapIterator<A, R>(source: Iterator<A>, fn: (a: A) => R): IterableIterator<R> {
  try {
    for (let next; !(next = source.next()).done; ) yield fn(next.value);
  } finally {
    source.return?.();
  }
}

async function* toAsync<T>(source: Iterator<T>): AsyncGenerator<T> {
  yield* { [Symbol.iterator]: () => source };
}
