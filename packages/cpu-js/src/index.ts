/**
 * @flint/cpu-js: the reference backend, plain TypeScript over TypedArrays. Importing the package
 * registers it with core as `cpu-js` (alias `cpu`).
 * @example
 * import * as flint from '@flint/core';
 * import '@flint/cpu-js';
 * await flint.setBackend('cpu');
 */
import { registerBackend, type BackendRegistration } from '@flint/core';
import { createCpuBackend } from './backend.ts';

export { createCpuBackend };

/** Registration descriptor for core's backend registry. */
export const cpuJs: BackendRegistration = { name: 'cpu-js', aliases: ['cpu'], priority: 0, factory: createCpuBackend };

registerBackend(cpuJs);
