/**
 * The dataloader workload: batches/s from flint.data.DataLoader over a dataset whose items each
 * take ~1 ms, with and without worker threads. Reported unavailable where flint.data has no
 * DataLoader yet.
 */
import * as flint from '@flint/core';
import type { LoaderData } from '../workloads.ts';
import { Unavailable, type LocalInstance } from './adapter.ts';

export async function loaderInstance(data: LoaderData): Promise<LocalInstance> {
  if (!('DataLoader' in flint.data)) throw new Unavailable('flint.data.DataLoader does not exist yet');
  // Loaded only now: the dataset module extends flint.data.Dataset.
  const { BusyDataset } = await import('./busy-dataset.ts');
  const loader = new flint.data.DataLoader(new BusyDataset(data.items, data.itemMs), {
    batchSize: data.batch,
    numWorkers: data.workers,
    // Steady-state throughput: without this, every epoch would also time starting the workers.
    persistentWorkers: data.workers > 0 || undefined,
  });
  return {
    // One epoch per step. Workers prefetch, so a step of one batch would let them work ahead while
    // the clock is stopped between samples; an epoch ends with nothing in flight.
    step: async () => {
      let sum = 0;
      for await (const batch of loader) {
        const values = await batch.data();
        const stride = batch.shape[1]!;
        for (let i = 0; i < values.length; i += stride) sum += values[i]!;
        batch.dispose();
      }
      return sum;
    },
    dispose: () => void loader.close(),
  };
}
