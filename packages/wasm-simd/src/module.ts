import { sharedRelaxedWasm, sharedSimdWasm, simdWasm } from './generated/kernels.ts';
import { MAX_PAGES } from './heap.ts';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api.ts';

/** The exports of the compiled assembly/ module. Addresses are byte offsets into its memory. */
export interface Kernels {
  heapBase(): number;
  unary(op: number, dtype: number, p: number): void;
  binary(op: number, dtype: number, p: number): void;
  where(dtype: number, p: number): void;
  cast(from: number, to: number, p: number): void;
  fill(dtype: number, out: number, n: number, value: number): void;
  arange(dtype: number, out: number, n: number, start: number, step: number): void;
  fold(op: number, dtype: number, p: number): void;
  argReduce(isMax: number, dtype: number, p: number): void;
  cumsumF64(acc: number, total: number, len: number, inner: number): void;
  fillF64(acc: number, n: number, value: number): void;
  gather(dtype: number, p: number): void;
  scatterAdd(dtype: number, p: number): void;
  maxPool2d(p: number): void;
  gemm(
    batch: number, M: number, K: number, N: number,
    a: number, aBatch: number, aRow: number, aCol: number,
    b: number, bBatch: number, bRow: number, bCol: number,
    out: number, ldc: number, accumulate: number, packA: number, packB: number,
  ): void;
  matmulInt(
    batch: number, M: number, K: number, N: number,
    a: number, aBatch: number, aRow: number, aCol: number,
    b: number, bBatch: number, bRow: number, bCol: number,
    out: number,
  ): void;
  packABytes(): number;
  packBBytes(): number;
  im2col(x: number, sC: number, sH: number, sW: number, col: number, p: number): void;
  col2im(col: number, dx: number, p: number): void;
  softmax(log: number, p: number): void;
  sgdStep(param: number, grad: number, buf: number, n: number, flags: number, negLr: number, decay: number, momentum: number, damped: number): void;
  adamStep(
    param: number, grad: number, m: number, v: number, vmax: number, n: number, flags: number,
    decay: number, beta1: number, rest1: number, beta2: number, rest2: number, bc2Sqrt: number, eps: number, negStep: number,
  ): void;
  convForward(n0: number, n1: number, x: number, sN: number, sC: number, sH: number, sW: number, w: number, out: number, col: number, p: number): void;
  convBackwardInput(n0: number, n1: number, dy: number, w: number, dx: number, col: number, p: number): void;
  convBackwardWeight(n0: number, n1: number, x: number, sN: number, sC: number, sH: number, sW: number, dy: number, dw: number, col: number, p: number): void;
}

/**
 * The product the kernels' per-sample loops call back for (assembly/conv-samples.ts's gemmHost):
 * src/threads.ts's GemmCall, into rows N elements apart.
 */
export type GemmHost = (...call: number[]) => void;

/** Which wasm features the loaded module uses. */
export interface WasmFeatures {
  /** Fixed-width SIMD (always: the backend needs it). */
  readonly simd: boolean;
  /** Relaxed SIMD (fused multiply-add in the matmul tile) where the engine validates it. */
  readonly relaxedSimd: boolean;
}

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Initial memory: 16 MiB; it grows on demand up to 4 GiB. */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = MAX_PAGES;
/** Positions of the byte addresses among gemmHost's arguments (a, b, out). */
const GEMM_ADDRESS_ARGS = [4, 8, 12];

/**
 * A wasm `usize` reaches JavaScript as a signed 32-bit number: addresses at or above 2 GiB arrive
 * negative. Read back as unsigned, so that host arithmetic and typed-array indexing see the address.
 */
function unsignedAddresses(call: number[]): number[] {
  for (const i of GEMM_ADDRESS_ARGS) call[i] = call[i]! >>> 0;
  return call;
}

/** A compiled kernel module with the memory it runs over. */
export interface LoadedModule {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly kernels: Kernels;
  readonly features: WasmFeatures;
  /** Whether the memory is shared, so worker threads can instantiate the module over it. */
  readonly shared: boolean;
  /** Sets the host product the kernels call (the runtime's, which may split it over threads). */
  routeGemm(host: GemmHost): void;
}

/** A shared memory where the environment allows one (SharedArrayBuffer; cross-origin isolation in browsers). */
function sharedMemory(wasm: NonNullable<typeof wasmApi>): WasmMemory | undefined {
  if (typeof SharedArrayBuffer === 'undefined') return undefined;
  try {
    return new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  } catch {
    return undefined;
  }
}

/**
 * Compiles the kernels for this engine and instantiates them: over a shared memory (relaxed SIMD
 * where it validates) when the environment allows, else over a private memory. Throws where
 * WebAssembly SIMD is unavailable, so that backend selection falls through to the next backend.
 */
export async function loadKernels(): Promise<LoadedModule> {
  const wasm = wasmApi;
  if (!wasm) throw new Error('wasm-simd: WebAssembly is not available in this environment');
  const shared = sharedMemory(wasm);
  let bytes = decode(simdWasm);
  let relaxedSimd = false;
  if (shared) {
    const relaxed = decode(sharedRelaxedWasm);
    relaxedSimd = wasm.validate(relaxed);
    bytes = relaxedSimd ? relaxed : decode(sharedSimdWasm);
  }
  if (!wasm.validate(bytes)) {
    throw new Error('wasm-simd: this engine does not support WebAssembly SIMD (fixed-width v128)');
  }
  const memory = shared ?? new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  const module = await wasm.compile(bytes);
  let gemmHost: GemmHost = () => {
    throw new Error('wasm-simd: a kernel called back for a product before the runtime routed it');
  };
  const instance = await wasm.instantiate(module, { env: { memory, gemmHost: (...call: number[]) => gemmHost(...unsignedAddresses(call)) } });
  const kernels = instance.exports as unknown as Kernels;
  return {
    module, memory, kernels, features: { simd: true, relaxedSimd }, shared: shared !== undefined,
    routeGemm: (host) => {
      gemmHost = host;
    },
  };
}
