/** Facts a dataset can read inside a DataLoader worker thread, like torch.utils.data.get_worker_info(). */
export interface WorkerInfo {
  /** This worker's number, 0 .. numWorkers - 1. */
  readonly id: number;
  readonly numWorkers: number;
  /** The loader's base seed (drawn from its generator when the workers start) plus `id`; flint's default generator is seeded with it. */
  readonly seed: number;
  /** This worker's own copy of the dataset; undefined while the dataset is being built. */
  readonly dataset: unknown;
}

// On globalThis under a registered symbol, so that a dataset module which loaded a second copy of
// flint (a CommonJS and an ES module build, say) still finds it.
const key = Symbol.for('flint.data.workerInfo');

/**
 * Which DataLoader worker thread is running this code; `null` on the main thread.
 * @example
 * const info = flint.data.workerInfo();
 * const mine = info ? files.filter((_, i) => i % info.numWorkers === info.id) : files;
 */
export function workerInfo(): WorkerInfo | null {
  return (globalThis as Record<symbol, WorkerInfo | undefined>)[key] ?? null;
}

/** Called by the worker entry only. */
export function setWorkerInfo(info: WorkerInfo): void {
  (globalThis as Record<symbol, WorkerInfo | undefined>)[key] = info;
}
