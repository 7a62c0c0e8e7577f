/**
 * The systems a run can compare. flint backends join when their package resolves: wasm-simd and
 * webgpu are listed before they exist, and start being measured once `@flint/wasm-simd` or
 * `@flint/webgpu` is a dependency of this app (pnpm only links declared dependencies).
 */
import type { Adapter } from './adapter.ts';

/**
 * How a system takes part in cells that run on more than one compute thread: `set` runs with the
 * cell's thread count; `reference` runs its only mode (one thread) beside them, as the baseline the
 * ratios are taken against. Systems without it sit those cells out.
 */
export type ThreadRole = 'set' | 'reference';

export interface FlintSystem { name: string; library: 'flint'; pkg: string; backend: string; threads?: ThreadRole }
export interface TfjsSystem { name: string; library: 'tfjs'; backend: 'cpu' | 'wasm'; threads?: ThreadRole }
export interface PytorchSystem { name: string; library: 'pytorch'; threads?: ThreadRole }
export type System = FlintSystem | TfjsSystem | PytorchSystem;

export const systems: readonly System[] = [
  { name: 'flint-cpu-js', library: 'flint', pkg: '@flint/cpu-js', backend: 'cpu-js' },
  { name: 'flint-wasm-simd', library: 'flint', pkg: '@flint/wasm-simd', backend: 'wasm-simd', threads: 'set' },
  { name: 'flint-webgpu', library: 'flint', pkg: '@flint/webgpu', backend: 'webgpu' },
  { name: 'tfjs-cpu', library: 'tfjs', backend: 'cpu' },
  // TensorFlow.js's wasm backend runs one thread in Node (its threaded build needs a browser).
  { name: 'tfjs-wasm', library: 'tfjs', backend: 'wasm', threads: 'reference' },
  // Debian's python3-torch on OpenBLAS, set up by scripts/setup-pytorch.sh when first measured.
  { name: 'pytorch', library: 'pytorch', threads: 'set' },
];

export function system(name: string): System {
  const found = systems.find((s) => s.name === name);
  if (!found) throw new Error(`unknown system '${name}'; known: ${systems.map((s) => s.name).join(', ')}`);
  return found;
}

/**
 * Whether the system's package is installed and loads. TensorFlow.js is a dependency of this app;
 * PyTorch installs itself when first measured, or reports what is missing as unavailable.
 */
export async function isPresent(s: System): Promise<boolean> {
  if (s.library !== 'flint') return true;
  try {
    await import(s.pkg);
    return true;
  } catch {
    return false;
  }
}

/** Loads only the library a child needs, so each process holds one system. */
export async function loadAdapter(s: System): Promise<Adapter> {
  if (s.library === 'flint') return (await import('./flint.ts')).createFlint(s);
  if (s.library === 'pytorch') return (await import('./pytorch.ts')).createPytorch();
  return (await import('./tfjs.ts')).createTfjs(s);
}
