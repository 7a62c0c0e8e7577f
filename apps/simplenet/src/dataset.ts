/**
 * The tutorial's SimpleDataset: 6-feature samples with 2 classes. The tutorial draws random
 * features and labels; here the label is whether the features sum above zero, so there is
 * something to learn. Items are plain arrays, so DataLoader workers can build them.
 *
 * This module only defines the dataset: DataLoader workers import it to build their own copy.
 */
import * as flint from '@flint/core';

export type Sample = [features: Float32Array, label: number];

export class SimpleDataset extends flint.data.Dataset<Sample> {
  private readonly data: Float32Array;
  private readonly labels: Int32Array;

  constructor(
    readonly length: number,
    private readonly seed: number,
  ) {
    super();
    this.data = new flint.Generator(seed).normal(length * 6);
    this.labels = new Int32Array(length);
    for (let i = 0; i < length; i++) this.labels[i] = this.data.subarray(i * 6, i * 6 + 6).reduce((a, b) => a + b, 0) > 0 ? 1 : 0;
  }

  getItem(index: number): Sample {
    return [this.data.subarray(index * 6, index * 6 + 6), this.labels[index]!];
  }

  /** How a DataLoader worker thread builds the same dataset. */
  workerSource(): flint.data.WorkerSource {
    return { module: import.meta.url, export: 'SimpleDataset', args: [this.length, this.seed] };
  }
}
