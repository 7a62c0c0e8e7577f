/**
 * A dataset module for the DataLoader worker tests: worker threads import this file and build
 * their own Squares from the constructor arguments that workerSource() names.
 */
import * as flint from '@flint/core';
import { threadId } from 'node:worker_threads';

export interface SquaresOptions {
  /** getItem(failAt) throws a RangeError. */
  failAt?: number;
  /** Milliseconds of busy work per item, standing in for decoding. */
  busyMs?: number;
}

/** One item, with where it was made: the thread, the worker, its seed and its generator's seed. */
export interface SquareItem {
  x: Float32Array;
  y: number;
  thread: number;
  worker: number;
  seed: number;
  generatorSeed: number;
  init: number;
}

/** What the workerInit hook recorded in this thread: -1 until it runs. */
let initRecord = -1;

/** The workerInit hook: records the worker id and a tag from its args. */
export function initWorker(id: number, tag: number): void {
  initRecord = id * 100 + tag;
}

/** Item i is x = [i, i * i], y = i. */
export class Squares extends flint.data.Dataset<SquareItem> {
  constructor(
    readonly length: number,
    readonly options: SquaresOptions = {},
  ) {
    super();
  }

  getItem(i: number): SquareItem {
    if (i === this.options.failAt) throw new RangeError(`Squares: item ${i} is broken`);
    const until = performance.now() + (this.options.busyMs ?? 0);
    while (performance.now() < until);
    const info = flint.data.workerInfo();
    return {
      x: Float32Array.of(i, i * i),
      y: i,
      thread: threadId,
      worker: info?.id ?? -1,
      seed: info?.seed ?? -1,
      generatorSeed: flint.defaultGenerator.initialSeed(),
      init: initRecord,
    };
  }

  workerSource(): flint.data.WorkerSource {
    return { module: import.meta.url, export: 'Squares', args: [this.length, this.options] };
  }
}
