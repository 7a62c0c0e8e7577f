import { Scratch, type Heap } from './heap.ts';
import type { LoadedModule } from './module.ts';
import { CONTROL_WORDS, DONE, IDLE, MAX_TASK_ARGS, RUN, STARTING, TASKS, type Task } from './worker-program.ts';
import { workerPlatform, type WorkerPlatform } from './workers.ts';

/** A product into a row-major [batch, M, N] block at `out`. */
export type GemmCall = [
  batch: number, M: number, K: number, N: number,
  a: number, aBatch: number, aRow: number, aCol: number,
  b: number, bBatch: number, bRow: number, bCol: number,
  out: number, accumulate: number,
];

/** How long backend start-up waits for its helpers; later products simply skip a helper not ready. */
const START_TIMEOUT_MS = 5000;
/** Floats a packed A value takes (one vector): see {@link ThreadPool.gemm}'s split. */
const SPLAT_WIDTH = 4;
/** Row and column blocks are multiples of the gemm's register tile (4 x 8). */
const ROW_ALIGN = 4;
const COLUMN_ALIGN = 8;
/** Multiply-adds below which a task stays on one thread (dispatch costs about 10-20 us). */
const PARALLEL_MIN_WORK = 1 << 20;

/** What a thread's share of a task needs besides its arguments. */
export interface ThreadArea {
  /** The gemm's packing areas. */
  readonly packA: number;
  readonly packB: number;
  /** Work space, such as a convolution's unfolded sample. */
  readonly work: Scratch;
  /** A partial result, such as a weight gradient's share of the samples. */
  readonly partial: Scratch;
}

interface Helper extends ThreadArea {
  /** Byte address of the helper's control block. */
  readonly control: number;
}

/**
 * Whether this thread may block in `Atomics.wait`: a browser's main thread may not (the call
 * throws there before it looks at the value), workers and Node may.
 */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Worker threads sharing the backend's memory, each with its own instance of the kernels. Large
 * single-batch products are split by rows or columns, and per-sample tasks (convolutions) by
 * samples: the ready helpers take a block each and the calling thread the first, then waits for the helpers, blocking where it may and spinning where it
 * may not (a browser's main thread; having done its own block, it spins briefly). A helper that has
 * not started (or failed to) gets no work, so a product never waits on it.
 */
export class ThreadPool {
  readonly #loaded: LoadedModule;
  readonly #heap: Heap;
  readonly #platform: WorkerPlatform;
  readonly #blocking = canBlock();
  readonly #helpers: Helper[] = [];
  #threads: number;

  private constructor(loaded: LoadedModule, heap: Heap, platform: WorkerPlatform, threads: number) {
    this.#loaded = loaded;
    this.#heap = heap;
    this.#platform = platform;
    this.#threads = threads;
  }

  /**
   * A pool where the memory is shared and the platform has workers (Node's worker_threads; Web
   * Workers on a cross-origin isolated page); undefined elsewhere (the backend then runs
   * single-threaded). Without an explicit count it takes the platform's default.
   */
  static async create(loaded: LoadedModule, heap: Heap, threads: number | undefined): Promise<ThreadPool | undefined> {
    if (!loaded.shared) return undefined;
    try {
      const platform = await workerPlatform();
      if (!platform) return undefined;
      const pool = new ThreadPool(loaded, heap, platform, threads ?? platform.defaultThreads);
      await pool.#started();
      return pool;
    } catch {
      return undefined;
    }
  }

  /** Starts the helpers and waits (a bounded time, yielding so that they can start) until they have instantiated the module. */
  async #started(): Promise<void> {
    this.#spawn();
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (this.#helpers.some((h) => this.#state(h) === STARTING) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Threads a large product is split over now: the calling thread and the helpers that have started. */
  get threads(): number {
    return 1 + this.#active().filter((h) => this.#state(h) !== STARTING).length;
  }

  /** Sets the thread count (validated by the caller), starting any helpers it adds. */
  setThreads(n: number): void {
    this.#threads = n;
    this.#spawn();
  }

  /** The helpers the current thread count uses. */
  #active(): Helper[] {
    return this.#helpers.slice(0, this.#threads - 1);
  }

  #state(h: Helper): number {
    return Atomics.load(this.#heap.i32, h.control >>> 2);
  }

  /** Starts helpers up to the thread count, each with its control block and areas. */
  #spawn(): void {
    const { kernels, module, memory } = this.#loaded;
    const heap = this.#heap;
    while (this.#helpers.length < this.#threads - 1) {
      const helper: Helper = {
        control: heap.block(CONTROL_WORDS * 4).ptr,
        packA: heap.block(kernels.packABytes()).ptr,
        packB: heap.block(kernels.packBBytes()).ptr,
        work: new Scratch(heap),
        partial: new Scratch(heap),
      };
      heap.i32[helper.control >>> 2] = STARTING;
      this.#platform.start({ module, memory, control: helper.control, packA: helper.packA, packB: helper.packB });
      this.#helpers.push(helper);
    }
  }

  /** The helpers free to take work now. */
  #ready(): Helper[] {
    return this.#active().filter((h) => this.#state(h) === IDLE);
  }

  /**
   * Runs `task` in `parts` blocks, the first on the calling thread and one on each of the first
   * ready helpers, and returns when all are done; `args` gives a block's export arguments.
   */
  #run(task: Task, ready: readonly Helper[], parts: number, own: ThreadArea, args: (part: number, area: ThreadArea) => number[]): void {
    // Every block's arguments first: they may allocate scratch, growing (and replacing) the buffer.
    const blocks = Array.from({ length: parts }, (_, p) => args(p, p === 0 ? own : ready[p - 1]!));
    const i32 = this.#heap.i32;
    const started: number[] = [];
    for (let p = 1; p < parts; p++) {
      const word = ready[p - 1]!.control >>> 2;
      if (blocks[p]!.length > MAX_TASK_ARGS) throw new Error(`wasm-simd: task ${task} has more than ${MAX_TASK_ARGS} arguments`);
      i32[word + 1] = TASKS.indexOf(task);
      i32.set(blocks[p]!, word + 2);
      Atomics.store(i32, word, RUN);
      Atomics.notify(i32, word);
      started.push(word);
    }
    (this.#loaded.kernels[task] as (...args: number[]) => void)(...blocks[0]!);
    for (const word of started) {
      this.#join(i32, word);
      Atomics.store(i32, word, IDLE);
    }
  }

  /** Waits until the helper on control word `word` has finished its block. */
  #join(i32: Int32Array, word: number): void {
    let state: number;
    while ((state = Atomics.load(i32, word)) !== DONE) {
      if (this.#blocking) Atomics.wait(i32, word, state);
    }
  }

  /**
   * Runs a single-batch product large enough to pay for dispatch over the ready helpers and the
   * calling thread, and returns true; returns false (having done nothing) otherwise, so that the
   * caller runs it alone. Each thread packs the whole of the operand its block does not split, and
   * packing A costs four times packing B (A's values are stored splatted), so products are split by
   * rows unless they are at least four times wider than tall.
   */
  gemm(call: GemmCall, own: ThreadArea): boolean {
    const [batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, accumulate] = call;
    if (this.#threads < 2 || batch !== 1 || M * K * N < PARALLEL_MIN_WORK) return false;
    const byColumns = N >= SPLAT_WIDTH * M;
    const extent = byColumns ? N : M;
    const align = byColumns ? COLUMN_ALIGN : ROW_ALIGN;
    const ready = this.#ready();
    const parts = Math.min(ready.length + 1, Math.floor(extent / align));
    if (parts < 2) return false;
    const size = Math.ceil(extent / parts / align) * align;
    this.#run('gemm', ready, Math.ceil(extent / size), own, (part, { packA, packB }) => {
      const start = part * size;
      const n = Math.min(size, extent - start);
      return byColumns
        ? [1, M, K, n, a, aBatch, aRow, aCol, b + start * bCol * 4, bBatch, bRow, bCol, out + start * 4, N, accumulate, packA, packB]
        : [1, n, K, N, a + start * aRow * 4, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out + start * N * 4, N, accumulate, packA, packB];
    });
    return true;
  }

  /**
   * Splits `count` samples of a per-sample `task` (`work` multiply-adds in all) over the calling
   * thread and the ready helpers, a contiguous range each, and returns how many parts ran; returns 0
   * (having done nothing) when the task is too small or no helper is free. `args` gives part
   * `part`'s export arguments for samples [n0, n1) (part 0 is the calling thread's).
   */
  samples(task: Task, count: number, work: number, own: ThreadArea, args: (n0: number, n1: number, area: ThreadArea, part: number) => number[]): number {
    if (this.#threads < 2 || count < 2 || work < PARALLEL_MIN_WORK) return 0;
    const ready = this.#ready();
    const parts = Math.min(ready.length + 1, count);
    if (parts < 2) return 0;
    const size = Math.ceil(count / parts);
    const used = Math.ceil(count / size);
    this.#run(task, ready, used, own, (part, area) => args(part * size, Math.min(count, (part + 1) * size), area, part));
    return used;
  }
}
