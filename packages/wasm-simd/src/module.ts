import { relaxedWasm, simdWasm } from './generated/kernels.ts';

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
  maxPool2d(dtype: number, p: number): void;
  gemm(
    batch: number, M: number, K: number, N: number,
    a: number, aBatch: number, aRow: number, aCol: number,
    b: number, bBatch: number, bRow: number, bCol: number,
    out: number, accumulate: number, packA: number, packB: number,
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
}

/** Which wasm features the loaded module uses. */
export interface WasmFeatures {
  /** Fixed-width SIMD (always: the backend needs it). */
  readonly simd: boolean;
  /** Relaxed SIMD (fused multiply-add in the matmul tile) where the engine validates it. */
  readonly relaxedSimd: boolean;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Compiles the kernels for this engine (the relaxed-SIMD build where it validates) and instantiates
 * them over `memory`. Throws where WebAssembly SIMD is unavailable, so that backend selection falls
 * through to the next backend.
 */
export async function loadKernels(memory: WebAssembly.Memory): Promise<{ kernels: Kernels; features: WasmFeatures }> {
  if (typeof WebAssembly !== 'object') throw new Error('wasm-simd: WebAssembly is not available in this environment');
  const relaxed = decode(relaxedWasm);
  const relaxedSimd = WebAssembly.validate(relaxed);
  const bytes = relaxedSimd ? relaxed : decode(simdWasm);
  if (!relaxedSimd && !WebAssembly.validate(bytes)) {
    throw new Error('wasm-simd: this engine does not support WebAssembly SIMD (fixed-width v128)');
  }
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return { kernels: instance.exports as unknown as Kernels, features: { simd: true, relaxedSimd } };
}
