/** The backends this browser can train on, probed when the page opens. */
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { wasmInfo } from '@flint/wasm-simd';
import '@flint/webgpu';

export type BackendName = 'wasm-simd' | 'webgpu' | 'cpu-js';

export interface BackendChoice {
  readonly name: BackendName;
  /** Whether it can start here. */
  readonly available: boolean;
  /** What it runs with (threads, GPU adapter), or why it is unavailable. */
  readonly detail: string;
}

interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
}

/** wasm-simd with its thread count (more than one only on a cross-origin isolated page). */
async function probeWasm(): Promise<BackendChoice> {
  try {
    await flint.startBackend('wasm-simd');
  } catch (error) {
    return { name: 'wasm-simd', available: false, detail: (error as Error).message };
  }
  const { threads, relaxedSimd } = wasmInfo();
  const why = threads === 1 && !globalThis.crossOriginIsolated ? ', page not cross-origin isolated' : '';
  return { name: 'wasm-simd', available: true, detail: `${threads} thread${threads === 1 ? '' : 's'}${relaxedSimd ? ', relaxed SIMD' : ''}${why}` };
}

/** webgpu when `navigator.gpu` gives an adapter; named by the adapter's vendor and architecture. */
async function probeWebGpu(): Promise<BackendChoice> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } }).gpu;
  if (!gpu) return { name: 'webgpu', available: false, detail: 'this browser has no navigator.gpu' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { name: 'webgpu', available: false, detail: 'navigator.gpu gave no adapter' };
  const info = adapter.info ?? {};
  return { name: 'webgpu', available: true, detail: [info.vendor, info.architecture || info.description].filter(Boolean).join(' ') || 'GPU adapter' };
}

export async function probeBackends(): Promise<BackendChoice[]> {
  const [wasm, gpu] = await Promise.all([probeWasm(), probeWebGpu()]);
  return [wasm, gpu, { name: 'cpu-js', available: true, detail: 'plain TypeScript, one thread' }];
}
