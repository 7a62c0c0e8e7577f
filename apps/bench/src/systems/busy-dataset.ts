/**
 * Examples that each cost about `ms` of CPU, the way decoding or augmenting a real example does.
 * Its own module because DataLoader workers rebuild a dataset by importing the module that
 * defines it (see workerSource).
 */
import * as flint from '@flint/core';

export class BusyDataset extends flint.data.Dataset<Float32Array> {
  constructor(readonly length: number, private readonly ms: number) {
    super();
  }

  getItem(index: number): Float32Array {
    const end = performance.now() + this.ms;
    while (performance.now() < end) { /* busy on purpose: the work occupies a thread */ }
    return new Float32Array(16).fill(index);
  }

  workerSource(): flint.data.WorkerSource {
    return { module: import.meta.url, export: 'BusyDataset', args: [this.length, this.ms] };
  }
}
