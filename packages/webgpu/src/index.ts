/**
 * @flint/webgpu: flint on WebGPU, with WGSL compute kernels. Importing the package registers it
 * with core as `webgpu`; starting it needs a GPU adapter (`navigator.gpu` in browsers, the `webgpu`
 * package's Dawn in Node).
 * @example
 * import * as flint from '@flint/core';
 * import '@flint/webgpu';
 * await flint.setBackend('webgpu');
 */
import { registerBackend, type BackendRegistration } from '@flint/core';
import { createWebGpuBackend } from './backend.ts';

export { createWebGpuBackend, type WebGpuBackend } from './backend.ts';
export type { RuntimeStats } from './runtime.ts';

/** `navigator.gpu` where the platform has WebGPU, else Dawn from the `webgpu` package (Node). */
async function platformGpu(): Promise<GPU> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const dawn = await import('webgpu');
  // Dawn's globals define GPUBufferUsage, GPUMapMode and friends, as browsers do.
  Object.assign(globalThis, dawn.globals);
  return dawn.create([]);
}

/**
 * Registration descriptor for core's backend registry. Its priority is below cpu-js's so that
 * `flint.init()` never picks a GPU (or a software Vulkan driver posing as one) without being asked:
 * select it with `setBackend('webgpu')` or `FLINT_BACKEND=webgpu`.
 */
export const webgpu: BackendRegistration = {
  name: 'webgpu',
  aliases: ['gpu'],
  priority: -10,
  factory: async () => createWebGpuBackend(await platformGpu()),
};

registerBackend(webgpu);
