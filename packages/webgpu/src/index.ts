// The WebGPU declarations the kernels are written against, for any program that compiles these
// sources (apps in this workspace do); the published declarations do not need them.
/// <reference types="@webgpu/types" />
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
import { createWebGpuBackend, type GpuEntryPoint } from './backend.ts';

export { createWebGpuBackend, type GpuEntryPoint, type WebGpuBackend } from './backend.ts';
export type { RuntimeStats } from './runtime.ts';

/** The `webgpu` package's exports that flint uses. */
interface Dawn {
  create(flags: string[]): GpuEntryPoint;
  globals: Record<string, unknown>;
}

/** The version of the `webgpu` package flint is tested with, for the install hint. */
const DAWN_VERSION = '0.6.2';
/** Computed, so that bundlers building for browsers leave the import alone (it is only reached in Node). */
const DAWN_MODULE = 'webgpu';

/**
 * `navigator.gpu` where the platform has WebGPU, else Dawn from the `webgpu` package, an optional
 * peer dependency that only Node needs (browser bundles never import it).
 */
async function platformGpu(): Promise<GpuEntryPoint> {
  const nav = (globalThis as { navigator?: { gpu?: GpuEntryPoint } }).navigator;
  if (nav?.gpu) return nav.gpu;
  let dawn: Dawn;
  try {
    dawn = (await import(/* @vite-ignore */ /* webpackIgnore: true */ DAWN_MODULE)) as Dawn;
  } catch (err) {
    throw new Error(
      `webgpu: this platform has no navigator.gpu, and the \`webgpu\` package (Dawn), which provides WebGPU in Node, is not installed: npm install webgpu@${DAWN_VERSION}`,
      { cause: err },
    );
  }
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
