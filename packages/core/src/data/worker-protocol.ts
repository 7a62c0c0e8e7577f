/**
 * The messages between the main thread and a DataLoader worker, and the ports that carry them.
 * Platform code (node-worker.ts today, Web Workers later) implements the ports; the pool and the
 * worker entry only speak this protocol.
 */
import type { WorkerSource } from './dataset.ts';
import type { DatasetSpec } from './worker-spec.ts';

/** What a worker starts from. */
export interface WorkerInit {
  readonly id: number;
  readonly numWorkers: number;
  readonly seed: number;
  readonly dataset: DatasetSpec;
  /** true: collate in the worker with the default collate. false: send the items for a user collateFn on the main thread. */
  readonly collate: boolean;
  readonly workerInit?: WorkerSource;
}

/** Main to worker: fetch these indices as one batch. */
export interface FetchRequest {
  readonly task: number;
  readonly indices: readonly number[];
}

/** Worker to main: the batch (host tensors in place of tensors), or why it failed. */
export type FetchReply =
  | { readonly task: number; readonly ok: true; readonly batch: unknown }
  | { readonly task: number; readonly ok: false; readonly error: ErrorInfo };

/** An error as it crosses threads. */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** The main thread's end of one worker. */
export interface WorkerPort {
  post(request: FetchRequest): void;
  /** Whether this worker may keep the process alive: only while the main thread waits on it. */
  keepAlive(busy: boolean): void;
  terminate(): Promise<void>;
}

export interface WorkerEvents {
  reply(reply: FetchReply): void;
  /** An exception nothing in the worker caught (it is exiting). */
  error(error: unknown): void;
  exit(code: number): void;
}

/** Starts one worker; events are wired before it can emit any. */
export type SpawnWorker = (init: WorkerInit, events: WorkerEvents) => WorkerPort;

/** The worker thread's end. */
export interface ParentPort {
  readonly init: WorkerInit;
  onRequest(handler: (request: FetchRequest) => void): void;
  reply(reply: FetchReply, transfer: ArrayBuffer[]): void;
}

export function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/** The main thread's error for a worker's failure, worded like PyTorch's, with the worker's stack. */
export function workerError(id: number, info: ErrorInfo): Error {
  const cause = Object.assign(new Error(info.message), { name: info.name, stack: info.stack });
  return new Error(`Caught ${info.name} in DataLoader worker ${id}.\nOriginal ${info.stack ?? `${info.name}: ${info.message}`}`, { cause });
}
