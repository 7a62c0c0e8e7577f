/** The switch between backends' optional fused kernels and core's composition of primitives. */
import type { Backend, FusedKernels } from './types.ts';

let enabled = true;

/**
 * Turns the use of backends' fused kernels on (the default) or off, and returns the previous
 * setting. Off, every op is composed from primitive kernels, as on a backend without fused
 * kernels: the conformance suite compares the two paths on one backend this way.
 * @example const was = flint.setFusedKernels(false); try { ... } finally { flint.setFusedKernels(was); }
 */
export function setFusedKernels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The fused kernels core may call on `backend`: none while they are switched off. */
export function fusedOf(backend: Backend): FusedKernels | undefined {
  return enabled ? backend.fused : undefined;
}
