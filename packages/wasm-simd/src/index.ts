/**
 * @flint/wasm-simd: AssemblyScript kernels compiled to WebAssembly SIMD, with tensors living in
 * wasm memory. Importing the package registers it with core as `wasm-simd` (alias `wasm`), preferred
 * over cpu-js when both are installed.
 * @example
 * import * as flint from '@flint/core';
 * import '@flint/wasm-simd';
 * await flint.setBackend('wasm');
 */
import { registerBackend, type BackendRegistration } from '@flint/core';
import { createWasmBackend, setNumThreads, wasmInfo, type WasmInfo } from './backend.ts';

export { createWasmBackend, setNumThreads, wasmInfo, type WasmInfo };

/** Registration descriptor for core's backend registry. */
export const wasmSimd: BackendRegistration = { name: 'wasm-simd', aliases: ['wasm'], priority: 1, factory: createWasmBackend };

registerBackend(wasmSimd);
