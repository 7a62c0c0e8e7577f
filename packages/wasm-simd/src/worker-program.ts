import type { WasmMemory, WasmModule } from './wasm-api.ts';

/** Control word states; the task's gemm arguments follow the word. */
export const IDLE = 0;
export const RUN = 1;
export const DONE = 2;
/** Until the worker has instantiated the module; such a helper gets no work. */
export const STARTING = 3;

/** What a worker is handed at start-up. */
export interface WorkerInit {
  readonly module: WasmModule;
  /** The shared memory the backend's tensors live in. */
  readonly memory: WasmMemory;
  /** Byte address of the worker's control word. */
  readonly control: number;
}

/**
 * The worker's program, the same on every platform: instantiate the module over the shared memory,
 * then run each gemm the control word announces. Workers block in `Atomics.wait`, which every
 * worker may call.
 */
const SERVE = `
function serve({ module, memory, control }) {
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
}
`;

/** The program as Node's worker_threads run it (evaluated as CommonJS): the init is the workerData. */
export const NODE_WORKER_SOURCE = `${SERVE}serve(require('node:worker_threads').workerData);\n`;

/** The program as a Web Worker runs it (a classic script): the init is the first message. */
export const WEB_WORKER_SOURCE = `${SERVE}self.onmessage = (event) => serve(event.data);\n`;
