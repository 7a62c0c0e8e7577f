/**
 * Entry of a DataLoader worker thread: builds its copy of the dataset, then answers each fetch
 * request with the fetched items, collated into host tensors unless the loader has its own
 * collateFn. Its imports must resolve to the same module instances as '@flint/core' does for the
 * dataset module (same source files, or shared chunks in the build), so that seeding the default
 * generator here seeds the one the dataset draws from.
 */
import { manualSeed } from '../random/generator.ts';
import type { Dataset } from './dataset.ts';
import { collateItems, fetchStart } from './collate-items.ts';
import { nodeParentPort } from './node-worker.ts';
import { hostCollate, hostItems, transferables } from './worker-encode.ts';
import { setWorkerInfo } from './worker-info.ts';
import { errorInfo, type WorkerInit } from './worker-protocol.ts';
import { callExport, rebuildDataset } from './worker-spec.ts';

async function prepare(init: WorkerInit): Promise<Dataset<unknown>> {
  const info = { id: init.id, numWorkers: init.numWorkers, seed: init.seed };
  setWorkerInfo({ ...info, dataset: undefined });
  manualSeed(init.seed);
  const dataset = await rebuildDataset(init.dataset);
  setWorkerInfo({ ...info, dataset });
  if (init.workerInit) await callExport(init.workerInit, [init.id]);
  return dataset;
}

async function main(): Promise<void> {
  const parent = await nodeParentPort();
  const init = parent.init;
  const ready = prepare(init);
  // A failed start is reported as the answer to every fetch.
  ready.catch(() => {});
  parent.onRequest(async ({ task, indices }) => {
    try {
      const dataset = await ready;
      const start = fetchStart();
      const batch = collateItems(indices.map((i) => dataset.getItem(i)), init.collate ? hostCollate : hostItems, start);
      parent.reply({ task, ok: true, batch }, transferables(batch));
    } catch (err) {
      parent.reply({ task, ok: false, error: errorInfo(err) }, []);
    }
  });
}

// A failure here is uncaught on purpose: it ends the worker and reaches the pool as an 'error' event.
void main();
