import { importNodeBuiltin } from '@flint/core';
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE, type WorkerInit } from './worker-program.ts';

/** How this platform starts worker threads, and how many it runs by default. */
export interface WorkerPlatform {
  /** Threads (the calling one included) when none were asked for. */
  readonly defaultThreads: number;
  /** Starts a worker that runs the worker program over `init`. */
  start(init: WorkerInit): void;
}

/** Threads by default at most: beyond four, a product's split costs more than it saves. */
const MAX_DEFAULT_THREADS = 4;

interface NodeProcess {
  versions?: { node?: string };
  env?: Record<string, string | undefined>;
}

interface WebGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => { postMessage(message: unknown): void };
}

type NodeWorker = new (source: string, options: { eval: true; execArgv: string[]; workerData: unknown }) => { unref(): void };

/**
 * Node: worker_threads evaluating the program, unref'd so that they never keep the process alive;
 * `FLINT_NUM_THREADS` threads, else the cores up to 4.
 */
async function nodePlatform(process: NodeProcess): Promise<WorkerPlatform | undefined> {
  let Worker: NodeWorker;
  let cores: number;
  try {
    ({ Worker } = await importNodeBuiltin<{ Worker: NodeWorker }>('node:worker_threads'));
    cores = (await importNodeBuiltin<typeof import('node:os')>('node:os')).availableParallelism();
  } catch {
    return undefined;
  }
  const fromEnv = Number(process.env?.FLINT_NUM_THREADS);
  return {
    defaultThreads: Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : Math.min(cores, MAX_DEFAULT_THREADS),
    start: (init) => {
      // No inherited Node options: flags such as --input-type=module would change how the source is read.
      new Worker(NODE_WORKER_SOURCE, { eval: true, execArgv: [], workerData: init }).unref();
    },
  };
}

/**
 * A cross-origin isolated page or worker: Web Workers from a Blob URL of the program (so bundlers
 * need no worker file), handed the module and memory by message; the reported cores up to 4.
 */
function webPlatform(Worker: NonNullable<WebGlobals['Worker']>, cores: number): WorkerPlatform {
  let url: string | undefined;
  return {
    defaultThreads: Math.min(cores, MAX_DEFAULT_THREADS),
    start: (init) => {
      url ??= URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
      new Worker(url).postMessage(init);
    },
  };
}

/** The platform's worker start-up, or undefined where there are no workers to share a memory with. */
export async function workerPlatform(): Promise<WorkerPlatform | undefined> {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (process?.versions?.node) return nodePlatform(process);
  const web = globalThis as WebGlobals;
  if (web.crossOriginIsolated === true && typeof web.Worker === 'function') {
    return webPlatform(web.Worker, web.navigator?.hardwareConcurrency ?? 1);
  }
  return undefined;
}
