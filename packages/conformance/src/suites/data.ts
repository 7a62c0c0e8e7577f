/**
 * flint.data: datasets, samplers, randomSplit, collate and DataLoader, expected values by hand;
 * then DataLoader worker threads: the same batches in the same order as without workers, items
 * really made in other threads, worker errors with their stacks, and no worker left behind.
 */
import * as flint from '@flint/core';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { Squares, type SquareItem } from '../data-fixtures/squares.ts';
import { valuesOf } from '../helpers.ts';

const { data } = flint;

/** Values of a tensor, read in the way every backend supports. */
const values = async (t: flint.Tensor): Promise<flint.NestedArray> => t.tolist();

/** Runs `fn` with the default generator's state saved and restored: loaders draw from it. */
async function keepSeed<T>(fn: () => Promise<T> | T): Promise<T> {
  const state = flint.defaultGenerator.getState();
  try {
    return await fn();
  } finally {
    flint.defaultGenerator.setState(state);
  }
}

/** Every batch of one epoch, read as nested values; the batch tensors are disposed. */
async function readEpoch(loader: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const batch of loader) out.push(await readTree(batch));
  return out;
}

async function readTree(tree: unknown): Promise<unknown> {
  if (tree instanceof flint.Tensor) {
    const v = { dtype: tree.dtype, shape: [...tree.shape], values: await values(tree) };
    tree.dispose();
    return v;
  }
  if (Array.isArray(tree)) return Promise.all(tree.map(readTree));
  if (tree !== null && typeof tree === 'object') return Object.fromEntries(await Promise.all(Object.entries(tree).map(async ([k, v]) => [k, await readTree(v)])));
  return tree;
}

/** x: rows [i, 10 i] (float32), y: i (int32), for i < n. */
function pairs(n: number): flint.data.TensorDataset<[flint.Tensor, flint.Tensor]> {
  const x = flint.tensor(Array.from({ length: n }, (_, i) => [i, 10 * i]), { dtype: 'float32' });
  return new data.TensorDataset(x, flint.arange(n));
}

function disposeAll(ds: flint.data.TensorDataset): void {
  for (const t of ds.tensors) t.dispose();
}

class Records extends data.Dataset<{ id: number; score: number; flag: boolean; name: string; pair: [number, Float32Array] }> {
  readonly length = 5;
  getItem(i: number) {
    return { id: i, score: i + 0.5, flag: i % 2 === 0, name: `n${i}`, pair: [i, Float32Array.of(i, -i)] as [number, Float32Array] };
  }
}

class Count extends data.IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }
  *[Symbol.iterator]() {
    for (let i = 0; i < this.n; i++) yield i;
  }
}

class AsyncCount extends data.AsyncIterableDataset<number> {
  readonly length = 5;
  async *[Symbol.asyncIterator]() {
    for (let i = 0; i < 5; i++) yield i;
  }
}

export function dataSuite(_ctx: SuiteContext): void {
  describe('data: datasets and samplers', () => {
    it('TensorDataset items are row views; length; size mismatch and bad index are errors', async () => {
      const ds = pairs(4);
      expect(ds.length).toBe(4);
      const [x2, y2] = ds.getItem(2);
      expect([...x2.shape]).toEqual([2]);
      expect(await values(x2)).toEqual([2, 20]);
      expect(await values(y2)).toBe(2);
      x2.dispose();
      y2.dispose();
      const short = flint.zeros([3]);
      expect(() => new data.TensorDataset(ds.tensors[0], short)).toThrow(/TensorDataset: Size mismatch between tensors.*\[4, 2\].*\[3\]/);
      expect(() => ds.getItem(4)).toThrow(/TensorDataset: index 4 is out of range for a dataset of length 4/);
      short.dispose();
      disposeAll(ds);
    });

    it('Subset and ConcatDataset index through to their datasets', () => {
      const base = { length: 5, getItem: (i: number) => `b${i}` };
      const other = { length: 2, getItem: (i: number) => `o${i}` };
      const sub = new data.Subset(base, [4, 0, 2]);
      expect([0, 1, 2].map((i) => sub.getItem(i))).toEqual(['b4', 'b0', 'b2']);
      expect(() => sub.getItem(3)).toThrow(/Subset: index 3 is out of range/);
      const cat = new data.ConcatDataset([sub, other, base]);
      expect(cat.length).toBe(10);
      expect(cat.cumulativeSizes).toEqual([3, 5, 10]);
      expect(Array.from({ length: 10 }, (_, i) => cat.getItem(i))).toEqual(['b4', 'b0', 'b2', 'o0', 'o1', 'b0', 'b1', 'b2', 'b3', 'b4']);
      expect(() => new data.ConcatDataset([])).toThrow(/ConcatDataset: datasets should not be an empty iterable/);
    });

    it('randomSplit: counts and fractions (remainder dealt from the first), disjoint, reproducible', async () => {
      const ds = { length: 11, getItem: (i: number) => i };
      const sizes = (lengths: number[]) => data.randomSplit(ds, lengths, { generator: new flint.Generator(1) }).map((s) => s.length);
      expect(sizes([3, 8])).toEqual([3, 8]);
      // floor(11 * [0.5, 0.3, 0.2]) = [5, 3, 2]; the one left over goes to the first split.
      expect(sizes([0.5, 0.3, 0.2])).toEqual([6, 3, 2]);
      // floor(11 * 0.25) = 2 each; three left over go to the first three.
      expect(sizes([0.25, 0.25, 0.25, 0.25])).toEqual([3, 3, 3, 2]);
      const parts = data.randomSplit(ds, [0.6, 0.4], { generator: new flint.Generator(7) });
      const all = parts.flatMap((p) => [...p.indices]);
      expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
      // The indices are one randperm of the dataset's length, cut in order.
      expect(all).toEqual(await valuesOf(() => flint.randperm(11, { generator: new flint.Generator(7) })));
      const again = data.randomSplit(ds, [0.6, 0.4], { generator: new flint.Generator(7) });
      expect(again.map((p) => p.indices)).toEqual(parts.map((p) => p.indices));
      const other = data.randomSplit(ds, [0.6, 0.4], { generator: new flint.Generator(8) });
      expect(other[0]!.indices).not.toEqual(parts[0]!.indices);
      expect(() => data.randomSplit(ds, [3, 7])).toThrow(/randomSplit: Sum of input lengths does not equal the length of the input dataset!/);
      expect(() => data.randomSplit(ds, [1.5, -0.5])).toThrow(/randomSplit: Fraction at index 0 is not between 0 and 1/);
    });

    it('SequentialSampler, RandomSampler (permutation, replacement, numSamples) and SubsetRandomSampler', async () => {
      const ds = { length: 6 };
      expect([...new data.SequentialSampler(ds)]).toEqual([0, 1, 2, 3, 4, 5]);
      const randperm = (n: number, seed: number) => valuesOf(() => flint.randperm(n, { generator: new flint.Generator(seed) }));
      const sampler = new data.RandomSampler(ds, { generator: new flint.Generator(3) });
      const first = [...sampler];
      expect(first).toEqual(await randperm(6, 3));
      const second = [...sampler];
      expect([...second].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect(second).not.toEqual(first);
      expect(sampler.length).toBe(6);
      // More samples than items without replacement: whole permutations, then part of one.
      const long = [...new data.RandomSampler({ length: 3 }, { numSamples: 7, generator: new flint.Generator(0) })];
      expect(long).toHaveLength(7);
      expect([...long.slice(0, 3)].sort()).toEqual([0, 1, 2]);
      expect([...long.slice(3, 6)].sort()).toEqual([0, 1, 2]);
      const withReplacement = new data.RandomSampler(ds, { replacement: true, numSamples: 20, generator: new flint.Generator(4) });
      const drawn = [...withReplacement];
      expect(drawn).toEqual(await valuesOf(() => flint.randint(0, 6, [20], { generator: new flint.Generator(4) })));
      expect(withReplacement.length).toBe(20);
      expect(() => new data.RandomSampler(ds, { numSamples: 0 })).toThrow(/RandomSampler: numSamples should be a positive integer value, but got numSamples=0/);
      const subset = new data.SubsetRandomSampler([10, 20, 30, 40], { generator: new flint.Generator(5) });
      expect([...subset]).toEqual((await randperm(4, 5)).map((i) => [10, 20, 30, 40][i]));
      expect(subset.length).toBe(4);
    });

    it('WeightedRandomSampler follows the weights, never draws weight 0, and validates', () => {
      const sampler = new data.WeightedRandomSampler([1, 0, 3], 4000, { generator: new flint.Generator(9) });
      const counts = [0, 0, 0];
      for (const i of sampler) counts[i]!++;
      expect(counts[1]).toBe(0);
      expect(Math.abs(counts[2]! / 4000 - 0.75)).toBeLessThan(0.03);
      expect(sampler.length).toBe(4000);
      const noReplacement = [...new data.WeightedRandomSampler([5, 1, 0, 2], 3, { replacement: false, generator: new flint.Generator(2) })];
      expect([...noReplacement].sort()).toEqual([0, 1, 3]);
      expect(() => new data.WeightedRandomSampler([1, 0, 2], 3, { replacement: false })).toThrow(/cannot sample numSamples=3 without replacement from 2 categories/);
      expect(() => new data.WeightedRandomSampler([1, -1], 2)).toThrow(/WeightedRandomSampler: probability tensor contains either `inf`, `nan` or element < 0/);
      expect(() => new data.WeightedRandomSampler([0, 0], 2)).toThrow(/sum of probabilities <= 0/);
      expect(() => new data.WeightedRandomSampler([1], 1.5)).toThrow(/numSamples should be a positive integer value, but got numSamples=1.5/);
    });

    it('BatchSampler groups indices, dropLast drops the short tail', () => {
      const seq = new data.SequentialSampler({ length: 10 });
      const keep = new data.BatchSampler(seq, 3, false);
      expect([...keep]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
      expect(keep.length).toBe(4);
      const drop = new data.BatchSampler(seq, 3, true);
      expect([...drop]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
      expect(drop.length).toBe(3);
      expect(() => new data.BatchSampler(seq, 0, false)).toThrow(/BatchSampler: batchSize should be a positive integer value, but got batchSize=0/);
      expect(() => new data.BatchSampler([0, 1][Symbol.iterator](), 2, false).length).toThrow(/BatchSampler: the sampler has no length/);
    });
  });

  describe('data: DataLoader', () => {
    it('batches a TensorDataset: shapes, values, length, dropLast, no leaked tensors', () =>
      keepSeed(async () => {
        const ds = pairs(10);
        const before = flint.memory().tensors;
        const loader = new data.DataLoader(ds, { batchSize: 4 });
        expect(loader.length).toBe(3);
        const shapes: number[][][] = [];
        for (const [x, y] of loader) {
          shapes.push([[...x.shape], [...y.shape]]);
          if (shapes.length === 3) {
            expect(await values(x)).toEqual([[8, 80], [9, 90]]);
            expect(y.dtype).toBe('int32');
            expect(await values(y)).toEqual([8, 9]);
          }
          x.dispose();
          y.dispose();
        }
        expect(shapes).toEqual([[[4, 2], [4]], [[4, 2], [4]], [[2, 2], [2]]]);
        expect(flint.memory().tensors).toBe(before);
        const dropped = new data.DataLoader(ds, { batchSize: 4, dropLast: true });
        expect(dropped.length).toBe(2);
        expect((await readEpoch(dropped)).length).toBe(2);
        expect(flint.memory().tensors).toBe(before);
        disposeAll(ds);
      }));

    it("the row views a fetch makes are freed; tensors a dataset keeps (a cache filled on first use) are not", () =>
      keepSeed(async () => {
        class Cached extends data.Dataset<flint.Tensor> {
          readonly length = 6;
          cache: flint.Tensor | undefined;
          getItem(i: number): flint.Tensor {
            this.cache ??= flint.arange(6, { dtype: 'float32' });
            return this.cache.select(0, i);
          }
        }
        const ds = new Cached();
        const before = flint.memory().tensors;
        const batches = await readEpoch(new data.DataLoader(ds, { batchSize: 4 }));
        expect(batches.map((b) => (b as { values: number[] }).values)).toEqual([[0, 1, 2, 3], [4, 5]]);
        expect(ds.cache!.isDisposed).toBe(false);
        expect(flint.memory().tensors).toBe(before + 1);
        ds.cache!.dispose();
      }));

    it('default collate: numbers, booleans, strings, typed arrays, arrays and objects like default_collate', async () => {
      const loader = new data.DataLoader(new Records(), { batchSize: 3 });
      const [first] = await readEpoch(loader);
      expect(first).toEqual({
        id: { dtype: 'int32', shape: [3], values: [0, 1, 2] },
        score: { dtype: 'float32', shape: [3], values: [0.5, 1.5, 2.5] },
        flag: { dtype: 'bool', shape: [3], values: [true, false, true] },
        name: ['n0', 'n1', 'n2'],
        pair: [
          { dtype: 'int32', shape: [3], values: [0, 1, 2] },
          { dtype: 'float32', shape: [3, 2], values: [[0, -0], [1, -1], [2, -2]] },
        ],
      });
      expect(() => data.defaultCollate([[1, 2], [3]])).toThrow(/defaultCollate: each element in list of batch should be of equal size/);
      expect(() => data.defaultCollate([null])).toThrow(/defaultCollate: batch must contain tensors, typed arrays, numbers.*found null/);
      expect(() => data.defaultCollate([1, 'a'])).toThrow(/defaultCollate: a batch of numbers and booleans also holds string/);
      const stacked = data.defaultCollate([flint.ones([2]), flint.zeros([2])]);
      expect(await values(stacked)).toEqual([[1, 1], [0, 0]]);
    });

    it('a custom collateFn receives the items of each batch', async () => {
      const loader = new data.DataLoader(new Records(), { batchSize: 2, collateFn: (items) => items.map((r) => r.name).join('+') });
      expect([...loader]).toEqual(['n0+n1', 'n2+n3', 'n4']);
    });

    it('shuffle: reproducible under a seed, a new order every epoch, the generator option honoured', () =>
      keepSeed(async () => {
        const ds = { length: 12, getItem: (i: number) => i };
        const epoch = (loader: flint.data.DataLoader<number, number[]>) => [...loader].flat();
        const plain = { batchSize: 5, shuffle: true, collateFn: (items: number[]) => items };
        flint.manualSeed(11);
        const loader = new data.DataLoader(ds, plain);
        const one = epoch(loader);
        const two = epoch(loader);
        expect([...one].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
        expect(two).not.toEqual(one);
        flint.manualSeed(11);
        expect(epoch(new data.DataLoader(ds, plain))).toEqual(one);
        // With a generator: one draw for the epoch's worker seed, then the permutation.
        const g = new flint.Generator(5);
        g.uint32(1);
        const expected = await valuesOf(() => flint.randperm(12, { generator: g }));
        const state = flint.defaultGenerator.getState();
        expect(epoch(new data.DataLoader(ds, { ...plain, generator: new flint.Generator(5) }))).toEqual(expected);
        expect(flint.defaultGenerator.getState()).toEqual(state);
      }));

    it('for await gives the same batches as for; iterable datasets batch with dropLast and report length', () =>
      keepSeed(async () => {
        const ds = pairs(7);
        flint.manualSeed(3);
        const sync: unknown[] = [];
        for (const batch of new data.DataLoader(ds, { batchSize: 3, shuffle: true })) sync.push(await readTree(batch));
        flint.manualSeed(3);
        expect(await readEpoch(new data.DataLoader(ds, { batchSize: 3, shuffle: true }))).toEqual(sync);
        disposeAll(ds);
        const counted = new data.DataLoader(new Count(7), { batchSize: 3, collateFn: (items) => items });
        expect([...counted]).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
        expect([...new data.DataLoader(new Count(7), { batchSize: 3, dropLast: true, collateFn: (items) => items })]).toEqual([[0, 1, 2], [3, 4, 5]]);
        expect(() => counted.length).toThrow(/DataLoader: the IterableDataset has no length/);
        const asyncLoader = new data.DataLoader(new AsyncCount(), { batchSize: 2 });
        expect(asyncLoader.length).toBe(3);
        expect((await readEpoch(asyncLoader)).map((b) => (b as { values: number[] }).values)).toEqual([[0, 1], [2, 3], [4]]);
        expect(() => [...asyncLoader]).toThrow(/the dataset is an AsyncIterableDataset; iterate with `for await`/);
      }));

    it("conflicting or invalid options are errors worded like PyTorch's", () => {
      const ds = { length: 4, getItem: (i: number) => i };
      const sampler = new data.SequentialSampler(ds);
      const batches = [[0, 1], [2, 3]];
      const cases: Array<[flint.data.DataLoaderOptions<number, unknown>, RegExp]> = [
        [{ sampler, shuffle: true }, /sampler option is mutually exclusive with shuffle/],
        [{ batchSampler: batches, batchSize: 2 }, /batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast/],
        [{ batchSampler: batches, dropLast: true }, /batchSampler option is mutually exclusive/],
        [{ batchSampler: batches, shuffle: true }, /batchSampler option is mutually exclusive/],
        [{ numWorkers: -1 }, /numWorkers option should be a non-negative integer/],
        [{ timeout: -1 }, /timeout option should be non-negative/],
        [{ prefetchFactor: 2 }, /prefetchFactor option could only be specified with worker threads/],
        [{ persistentWorkers: true }, /persistentWorkers option needs numWorkers > 0/],
        [{ batchSize: 0 }, /batchSize should be a positive integer value, but got batchSize=0/],
      ];
      for (const [options, message] of cases) expect(() => new data.DataLoader(ds, options), String(message)).toThrow(message);
      expect(() => new data.DataLoader(new Count(3), { shuffle: true })).toThrow(/DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true/);
      expect(() => new data.DataLoader(new Count(3), { numWorkers: 2 })).toThrow(/not supported for an IterableDataset/);
      expect(() => [...new data.DataLoader(ds, { numWorkers: 1 })]).toThrow(/iterate with `for await/);
      const fromBatches = new data.DataLoader(ds, { batchSampler: batches, collateFn: (items) => items });
      expect(fromBatches.length).toBe(2);
      expect([...fromBatches]).toEqual(batches);
      expect(() => new data.DataLoader(ds, { sampler: [3, 1][Symbol.iterator]() }).length).toThrow(/BatchSampler: the sampler has no length/);
    });
  });

  describe('data: DataLoader worker threads', () => {
    it('a TensorDataset (through randomSplit) gives the same batches in the same order with 2 workers', () =>
      keepSeed(async () => {
        const ds = pairs(23);
        const [train] = data.randomSplit(ds, [0.75, 0.25], { generator: new flint.Generator(2) });
        const before = flint.memory().tensors;
        const epoch = (numWorkers: number, collateFn?: (items: flint.Tensor[][]) => flint.Tensor[]) =>
          readEpoch(new data.DataLoader(train!, { batchSize: 4, shuffle: true, numWorkers, generator: new flint.Generator(9), collateFn }));
        const local = await epoch(0);
        expect(local).toHaveLength(5);
        expect(await epoch(2)).toEqual(local);
        // A user collateFn runs on the main thread over the rebuilt row tensors.
        expect(await epoch(2, (items) => [0, 1].map((k) => flint.stack(items.map((row) => row[k]!))))).toEqual(local);
        // At most: while the workers run, the garbage collector may free tensors other tests forgot.
        expect(flint.memory().tensors).toBeLessThanOrEqual(before);
        expect(data.liveWorkers()).toBe(0);
        disposeAll(ds);
      }));

    it('a dataset from a user module loads in worker threads, seeded per worker, with the same batches', () =>
      keepSeed(async () => {
        const options = { batchSize: 3, shuffle: true, generator: new flint.Generator(4) };
        const strip = (batches: unknown[]) => batches.map((b) => ({ x: (b as { x: unknown }).x, y: (b as { y: unknown }).y }));
        const local = await readEpoch(new data.DataLoader(new Squares(10), options));
        const loader = new data.DataLoader(new Squares(10), {
          ...options,
          generator: new flint.Generator(4),
          numWorkers: 2,
          workerInit: { module: new URL('../data-fixtures/squares.ts', import.meta.url).href, export: 'initWorker', args: [7] },
        });
        const remote = (await readEpoch(loader)) as Array<Record<keyof SquareItem, { values: number[] }>>;
        expect(strip(remote)).toEqual(strip(local));
        // The base seed is the epoch's first draw from the loader's generator.
        const baseSeed = new flint.Generator(4).uint32(1)[0]!;
        remote.forEach((batch, k) => {
          const n = batch.y.values.length;
          expect(batch.worker.values, `batch ${k} runs on worker k % 2`).toEqual(new Array(n).fill(k % 2));
          expect(batch.thread.values.every((t) => t !== threadId && t > 0)).toBe(true);
          expect(batch.seed.values).toEqual(new Array(n).fill(baseSeed + (k % 2)));
          expect(batch.generatorSeed.values).toEqual(batch.seed.values);
          expect(batch.init.values).toEqual(new Array(n).fill((k % 2) * 100 + 7));
        });
        expect(new Set(remote.flatMap((b) => b.thread.values)).size).toBe(2);
        expect(data.liveWorkers()).toBe(0);
      }));

    it("a worker's exception is re-thrown with the worker's stack, and the workers are stopped", () =>
      keepSeed(async () => {
        const loader = new data.DataLoader(new Squares(10, { failAt: 5 }), { batchSize: 2, numWorkers: 2 });
        const seen: number[] = [];
        let caught: unknown;
        try {
          for await (const batch of loader) {
            seen.push(...((await values(batch.y)) as number[]));
            for (const t of Object.values(batch)) t.dispose();
          }
        } catch (err) {
          caught = err;
        }
        expect(seen).toEqual([0, 1, 2, 3]);
        expect(caught).toBeInstanceOf(Error);
        const error = caught as Error & { cause: Error };
        expect(error.message).toMatch(/^Caught RangeError in DataLoader worker 0\.\nOriginal RangeError: Squares: item 5 is broken/);
        expect(error.message).toMatch(/squares\.ts/);
        expect(error.cause.name).toBe('RangeError');
        expect(data.liveWorkers()).toBe(0);
      }));

    it('break ends the epoch and terminates the workers', () =>
      keepSeed(async () => {
        const loader = new data.DataLoader(new Squares(40), { batchSize: 2, numWorkers: 2, prefetchFactor: 3 });
        let batches = 0;
        for await (const batch of loader) {
          for (const t of Object.values(batch)) t.dispose();
          expect(data.liveWorkers()).toBe(2);
          if (++batches === 2) break;
        }
        expect(data.liveWorkers()).toBe(0);
      }));

    it('persistentWorkers keeps the same threads across epochs until close() (or asyncDispose)', () =>
      keepSeed(async () => {
        const loader = new data.DataLoader(new Squares(8), { batchSize: 2, numWorkers: 2, persistentWorkers: true, collateFn: (items) => items.map((it) => it.thread) });
        const threads = async () => {
          const seen: number[] = [];
          for await (const batch of loader) seen.push(...batch);
          return new Set(seen);
        };
        const first = await threads();
        expect(first.size).toBe(2);
        expect(data.liveWorkers()).toBe(2);
        expect(await threads()).toEqual(first);
        await loader[Symbol.asyncDispose]();
        expect(data.liveWorkers()).toBe(0);
      }));
  });
}
