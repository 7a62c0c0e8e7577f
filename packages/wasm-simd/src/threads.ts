import type { Heap } from './heap.ts';
import type { Kernels, LoadedModule } from './module.ts';

/** A product into a row-major [batch, M, N] block at `out`. */
export type GemmCall = [
  batch: number, M: number, K: number, N: number,
  a: number, aBatch: number, aRow: number, aCol: number,
  b: number, bBatch: number, bRow: number, bCol: number,
  out: number, accumulate: number,
];

/** Control word states; the task's gemm arguments follow the word. */
const IDLE = 0;
const RUN = 1;
const DONE = 2;
/** Until the worker has instantiated the module; such a helper gets no work. */
const STARTING = 3;
const CONTROL_BYTES = 4 * 32;

/**
 * The worker's whole program (evaluated as a script, so bundles need no worker file): instantiate
 * the module over the shared memory, then run each gemm the control word announces.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const word = control >> 2;
Atomics.compareExchange(new Int32Array(memory.buffer), word, ${STARTING}, ${IDLE});
for (;;) {
  let view = new Int32Array(memory.buffer);
  let state;
  while ((state = Atomics.load(view, word)) !== ${RUN}) Atomics.wait(view, word, state);
  view = new Int32Array(memory.buffer);
  const a = view.subarray(word + 1, word + 18);
  gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16]);
  Atomics.store(view, word, ${DONE});
  Atomics.notify(view, word);
}
`;

/** How long backend start-up waits for its helpers; later products simply skip a helper not ready. */
const START_TIMEOUT_MS = 5000;
/** Row and column blocks are multiples of the gemm's register tile (4 x 8). */
const ROW_ALIGN = 4;
const COLUMN_ALIGN = 8;
/** Multiply-adds below which a product stays on one thread (dispatch costs about 10-20 us). */
const PARALLEL_MIN_WORK = 1 << 20;

interface Helper {
  readonly control: number;
  readonly packA: number;
  readonly packB: number;
}

type WorkerConstructor = new (source: string, options: { eval: true; execArgv: string[]; workerData: unknown }) => {
  unref(): void;
};

/**
 * Worker threads sharing the backend's memory, each with its own instance of the kernels. Large
 * single-batch products are split by rows: the ready helpers take a block each and the calling
 * thread the first, then waits on the helpers' control words. A helper that has not started (or
 * failed to) gets no work, so a product never waits on it. Workers are unref'd, so they never keep
 * a Node process alive; they end with it.
 */
export class ThreadPool {
  readonly #loaded: LoadedModule;
  readonly #heap: Heap;
  readonly #Worker: WorkerConstructor;
  readonly #helpers: Helper[] = [];
  #threads: number;

  private constructor(loaded: LoadedModule, heap: Heap, Worker: WorkerConstructor, threads: number) {
    this.#loaded = loaded;
    this.#heap = heap;
    this.#Worker = Worker;
    this.#threads = threads;
  }

  /**
   * A pool where the memory is shared and Node's worker_threads exist; undefined elsewhere (the
   * backend then runs single-threaded). Without an explicit count it takes `FLINT_NUM_THREADS`, else
   * the available cores up to 4.
   */
  static async create(loaded: LoadedModule, heap: Heap, threads: number | undefined): Promise<ThreadPool | undefined> {
    const process = (globalThis as { process?: { versions?: { node?: string }; env?: Record<string, string | undefined> } }).process;
    if (!loaded.shared || !process?.versions?.node) return undefined;
    const fromEnv = Number(process.env?.FLINT_NUM_THREADS);
    try {
      const { Worker } = await import('node:worker_threads');
      const { availableParallelism } = await import('node:os');
      const count = threads ?? (Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : Math.min(availableParallelism(), 4));
      const pool = new ThreadPool(loaded, heap, Worker as unknown as WorkerConstructor, count);
      await pool.#started();
      return pool;
    } catch {
      return undefined;
    }
  }

  /** Starts the helpers and waits (a bounded time) until they have instantiated the module. */
  async #started(): Promise<void> {
    const words: number[] = [];
    for (let i = 0; i < this.#threads - 1; i++) words.push(this.#helper(i).control >> 2);
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (words.some((w) => Atomics.load(this.#heap.i32, w) === STARTING) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Threads a large product is split over (the calling thread included). */
  get threads(): number {
    return this.#threads;
  }

  /** Sets the thread count (validated by the caller); helpers start when first needed. */
  setThreads(n: number): void {
    this.#threads = n;
  }

  #helper(i: number): Helper {
    while (this.#helpers.length <= i) {
      const { kernels, module, memory } = this.#loaded;
      const control = this.#heap.block(CONTROL_BYTES).ptr;
      this.#heap.i32[control >> 2] = STARTING;
      // No inherited Node options: flags such as --input-type=module would change how the source is read.
      const worker = new this.#Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, control } });
      worker.unref();
      this.#helpers.push({
        control,
        packA: this.#heap.block(kernels.packABytes()).ptr,
        packB: this.#heap.block(kernels.packBBytes()).ptr,
      });
    }
    return this.#helpers[i]!;
  }

  /**
   * Runs a single-batch product large enough to pay for dispatch over the ready helpers and the
   * calling thread, and returns true; returns false (having done nothing) otherwise, so that the
   * caller runs it alone. A short, wide product is split by columns, so that each thread packs only
   * its part of B; a tall one by rows.
   */
  gemm(call: GemmCall, packA: number, packB: number): boolean {
    const [batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, accumulate] = call;
    if (this.#threads < 2 || batch !== 1 || M * K * N < PARALLEL_MIN_WORK) return false;
    const byColumns = N >= M;
    const extent = byColumns ? N : M;
    const align = byColumns ? COLUMN_ALIGN : ROW_ALIGN;
    const ready: Helper[] = [];
    for (let i = 0; i < this.#threads - 1; i++) {
      const h = this.#helper(i);
      if (Atomics.load(this.#heap.i32, h.control >> 2) === IDLE) ready.push(h);
    }
    const parts = Math.min(ready.length + 1, Math.floor(extent / align));
    if (parts < 2) return false;
    const size = Math.ceil(extent / parts / align) * align;
    /** The export's arguments for block [start, start + size) of the split dimension. */
    const block = (start: number, pa: number, pb: number): number[] => {
      const n = Math.min(size, extent - start);
      return byColumns
        ? [1, M, K, n, a, aBatch, aRow, aCol, b + start * bCol * 4, bBatch, bRow, bCol, out + start * 4, N, accumulate, pa, pb]
        : [1, n, K, N, a + start * aRow * 4, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out + start * N * 4, N, accumulate, pa, pb];
    };
    // Read after #helper, whose allocations may have grown (and replaced) the buffer.
    const i32 = this.#heap.i32;
    const started: number[] = [];
    for (let p = 1; p * size < extent; p++) {
      const h = ready[p - 1]!;
      const word = h.control >> 2;
      i32.set(block(p * size, h.packA, h.packB), word + 1);
      Atomics.store(i32, word, RUN);
      Atomics.notify(i32, word);
      started.push(word);
    }
    const own = block(0, packA, packB) as Parameters<Kernels['gemm']>;
    this.#loaded.kernels.gemm(...own);
    for (const word of started) {
      let state: number;
      while ((state = Atomics.load(i32, word)) !== DONE) Atomics.wait(i32, word, state);
      Atomics.store(i32, word, IDLE);
    }
    return true;
  }
}
