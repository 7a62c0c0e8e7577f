import { nodeSpawner } from './node-worker.ts';
import { errorInfo, workerError, type FetchReply, type SpawnWorker, type WorkerInit, type WorkerPort } from './worker-protocol.ts';

let live = 0;

/**
 * Worker threads that DataLoaders have started and that have not exited yet: 0 whenever no
 * iteration is running and no persistent workers are held. Useful to check for leaked workers.
 */
export function liveWorkers(): number {
  return live;
}

async function platformSpawner(): Promise<SpawnWorker> {
  if (typeof globalThis.process?.versions?.node === 'string') return nodeSpawner();
  throw new Error('DataLoader: numWorkers > 0 needs worker threads, which flint supports on Node.js only so far; use numWorkers: 0');
}

interface Pending {
  readonly worker: number;
  resolve(batch: unknown): void;
  reject(error: Error): void;
}

/**
 * A DataLoader's worker threads. Each fetch is a task sent to one worker and answered by its
 * reply; a worker that dies fails its tasks and every later one.
 */
export class WorkerPool {
  private readonly ports: WorkerPort[];
  private readonly pending = new Map<number, Pending>();
  private readonly busy: number[];
  private readonly failures: Array<Error | undefined>;
  private nextTask = 0;
  private closing = false;

  private constructor(spawn: SpawnWorker, init: Omit<WorkerInit, 'id' | 'seed'>, baseSeed: number) {
    this.busy = new Array<number>(init.numWorkers).fill(0);
    this.failures = new Array<Error | undefined>(init.numWorkers).fill(undefined);
    this.ports = this.busy.map((_, id) => {
      const port = spawn({ ...init, id, seed: baseSeed + id }, {
        reply: (reply) => this.settle(reply),
        error: (err) => this.fail(id, workerError(id, errorInfo(err))),
        exit: (code) => {
          live--;
          if (!this.closing) this.fail(id, new Error(`DataLoader worker ${id} exited unexpectedly with exit code ${code}`));
        },
      });
      live++;
      port.keepAlive(false);
      return port;
    });
  }

  /** Starts `init.numWorkers` workers; worker `id` is seeded with `baseSeed + id`. */
  static async start(init: Omit<WorkerInit, 'id' | 'seed'>, baseSeed: number): Promise<WorkerPool> {
    return new WorkerPool(await platformSpawner(), init, baseSeed);
  }

  get size(): number {
    return this.ports.length;
  }

  /** True once a worker has died: the pool cannot serve a further epoch. */
  get broken(): boolean {
    return this.failures.some((f) => f !== undefined);
  }

  /** Has `worker` fetch and collate `indices`; resolves to the batch as sent (host tensors). */
  fetch(worker: number, indices: readonly number[]): Promise<unknown> {
    const failure = this.failures[worker];
    if (failure) return Promise.reject(failure);
    if (this.closing) return Promise.reject(new Error('DataLoader: the workers were shut down'));
    const task = this.nextTask++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(task, { worker, resolve, reject }));
    this.setBusy(worker, +1);
    this.ports[worker]!.post({ task, indices });
    return result;
  }

  /** Terminates every worker; pending fetches fail. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const [task, p] of this.pending) this.finish(task, p).reject(new Error('DataLoader: the workers were shut down'));
    await Promise.all(this.ports.map((p) => p.terminate()));
  }

  private settle(reply: FetchReply): void {
    const p = this.pending.get(reply.task);
    // Absent when the fetch was abandoned: an epoch stopped early, or close() ran.
    if (!p) return;
    this.finish(reply.task, p);
    if (reply.ok) p.resolve(reply.batch);
    else p.reject(workerError(p.worker, reply.error));
  }

  private fail(worker: number, error: Error): void {
    this.failures[worker] ??= error;
    for (const [task, p] of this.pending) if (p.worker === worker) this.finish(task, p).reject(this.failures[worker]!);
  }

  private finish(task: number, p: Pending): Pending {
    this.pending.delete(task);
    this.setBusy(p.worker, -1);
    return p;
  }

  /** A worker keeps the process alive only while a fetch waits on it, so idle persistent workers never block exit. */
  private setBusy(worker: number, delta: number): void {
    const before = this.busy[worker]!;
    this.busy[worker] = before + delta;
    if ((before === 0) !== (this.busy[worker] === 0)) this.ports[worker]?.keepAlive(this.busy[worker]! > 0);
  }
}
