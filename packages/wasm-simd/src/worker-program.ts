import type { WasmMemory, WasmModule } from './wasm-api.ts';

/** Control word states; the task's index and arguments follow the word. */
export const IDLE = 0;
export const RUN = 1;
export const DONE = 2;
/** Until the worker has instantiated the module; such a helper gets no work. */
export const STARTING = 3;

/** The exports a helper runs; a task names one by its index here. */
export const TASKS = ['gemm', 'convForward', 'convBackwardInput', 'convBackwardWeight'] as const;
export type Task = (typeof TASKS)[number];
/** Words of a control block: the state, the task, then its arguments. */
export const CONTROL_WORDS = 32;
export const MAX_TASK_ARGS = CONTROL_WORDS - 2;

/** What a worker is handed at start-up. */
export interface WorkerInit {
  readonly module: WasmModule;
  /** The shared memory the backend's tensors live in. */
  readonly memory: WasmMemory;
  /** Byte address of the worker's control block. */
  readonly control: number;
  /** The worker's own packing areas, for the products its tasks call back for. */
  readonly packA: number;
  readonly packB: number;
}

/**
 * The worker's program, the same on every platform: instantiate the module over the shared memory,
 * answering the kernels' product callbacks with its own gemm (already one thread's share), then run
 * each task the control word announces. Workers block in `Atomics.wait`, which every worker may call.
 */
const SERVE = `
function serve({ module, memory, control, packA, packB }) {
  let exports;
  const gemmHost = (batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, accumulate) =>
    exports.gemm(batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, N, accumulate, packA, packB);
  exports = new WebAssembly.Instance(module, { env: { memory, gemmHost } }).exports;
  const tasks = ${JSON.stringify(TASKS)}.map((name) => exports[name]);
  const word = control >>> 2;
  Atomics.compareExchange(new Int32Array(memory.buffer), word, ${STARTING}, ${IDLE});
  for (;;) {
    let view = new Int32Array(memory.buffer);
    let state;
    while ((state = Atomics.load(view, word)) !== ${RUN}) Atomics.wait(view, word, state);
    view = new Int32Array(memory.buffer);
    tasks[view[word + 1]](...view.subarray(word + 2, word + ${CONTROL_WORDS}));
    Atomics.store(view, word, ${DONE});
    Atomics.notify(view, word);
  }
}
`;

/** The program as Node's worker_threads run it (evaluated as CommonJS): the init is the workerData. */
export const NODE_WORKER_SOURCE = `${SERVE}serve(require('node:worker_threads').workerData);\n`;

/** The program as a Web Worker runs it (a classic script): the init is the first message. */
export const WEB_WORKER_SOURCE = `${SERVE}self.onmessage = (event) => serve(event.data);\n`;
