/** The two dataset styles a DataLoader reads: map-style (indexed) and iterable-style (streamed). */
import { checkNoArguments, shown } from '../options/check-values.ts';
import { typeName } from '../tensor/type-name.ts';

/**
 * Where a DataLoader worker thread finds a dataset: JavaScript cannot send a dataset object to
 * another thread, so the worker imports the defining module and builds its own copy. Every
 * worker imports that module, so keep it free of top-level program code (a training script that
 * defines its dataset inline would run again in each worker): define datasets in their own module.
 */
export interface WorkerSource {
  /** URL of the defining module, normally its `import.meta.url`. */
  readonly module: string;
  /** The export to call: a class (constructed with `new`) or a factory function (may return a Promise). */
  readonly export: string;
  /** Constructor or factory arguments; they must survive `structuredClone`. */
  readonly args?: readonly unknown[];
}

/**
 * A map-style dataset: `length` items read by index, like torch.utils.data.Dataset.
 * To load it in worker threads (`numWorkers > 0`), also give it a `workerSource()` method that
 * returns a {@link WorkerSource}: how a worker builds its own copy.
 * @example
 * class Squares extends flint.data.Dataset<[number, number]> {
 *   readonly length = 100;
 *   getItem(i: number): [number, number] { return [i, i * i]; }
 *   workerSource() { return { module: import.meta.url, export: 'Squares' }; }
 * }
 */
export abstract class Dataset<T> {
  /** Takes no arguments (a subclass's constructor takes its own). */
  constructor(...args: never[]) {
    checkNoArguments('Dataset', args);
  }

  /** The item at `index`, for 0 <= index < length. */
  abstract getItem(index: number): T;
  /** Number of items. */
  abstract readonly length: number;
}

/**
 * An iterable-style dataset: a stream of items, like torch.utils.data.IterableDataset. A DataLoader
 * batches the items in the order they come; give the class a `length` if it is known.
 * @example
 * class Counter extends flint.data.IterableDataset<number> {
 *   *[Symbol.iterator]() { for (let i = 0; i < 10; i++) yield i; }
 * }
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  /** Takes no arguments (a subclass's constructor takes its own). */
  constructor(...args: never[]) {
    checkNoArguments('IterableDataset', args);
  }

  abstract [Symbol.iterator](): Iterator<T>;
}

/**
 * An iterable-style dataset whose items arrive asynchronously (read from files or the network);
 * a DataLoader over it is iterated with `for await`.
 * @example
 * class Lines extends flint.data.AsyncIterableDataset<string> {
 *   async *[Symbol.asyncIterator]() { for await (const line of readLines()) yield line; }
 * }
 */
export abstract class AsyncIterableDataset<T> implements AsyncIterable<T> {
  /** Takes no arguments (a subclass's constructor takes its own). */
  constructor(...args: never[]) {
    checkNoArguments('AsyncIterableDataset', args);
  }

  abstract [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** Any dataset a DataLoader reads. */
export type AnyDataset<T> = Dataset<T> | IterableDataset<T> | AsyncIterableDataset<T>;

/**
 * Throws a TypeError naming `owner` unless `value` is a map-style dataset (`getItem` and a
 * `length`) or, where `iterable`, also an iterable or async iterable one.
 */
export function checkDataset(owner: string, value: unknown, iterable: boolean): void {
  const object = typeof value === 'object' && value !== null;
  const map = object && typeof (value as Dataset<unknown>).getItem === 'function' && typeof (value as Dataset<unknown>).length === 'number';
  const stream = object && (Symbol.iterator in value || Symbol.asyncIterator in value);
  if (map || (iterable && stream)) return;
  const expected = iterable ? 'a Dataset (getItem and length) or an IterableDataset' : 'a map-style Dataset (getItem and length)';
  throw new TypeError(`${owner}: dataset should be ${expected}, but got ${typeName(value)}`);
}

/** Throws a TypeError naming `owner` unless `indices` is an array of non-negative integers. */
export function checkIndexList(owner: string, name: string, indices: unknown): void {
  if (Array.isArray(indices) && indices.every((i) => Number.isInteger(i) && i >= 0)) return;
  throw new TypeError(`${owner}: ${name} should be a list of non-negative integers, but got ${shown(indices)}`);
}

/** Map-style when it can be indexed; PyTorch tells the two apart by base class, duck typing lets plain objects in too. */
export function isMapDataset<T>(dataset: AnyDataset<T>): dataset is Dataset<T> {
  return typeof (dataset as Dataset<T>).getItem === 'function';
}

/** Throws a RangeError naming `owner` unless `index` is an integer in [0, length). */
export function checkIndex(owner: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${owner}: index ${index} is out of range for a dataset of length ${length}`);
  }
}
