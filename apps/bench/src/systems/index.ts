/**
 * The systems a run can compare. flint backends join when their package resolves: wasm-simd and
 * webgpu are listed before they exist, and start being measured once `@flint/wasm-simd` or
 * `@flint/webgpu` is a dependency of this app (pnpm only links declared dependencies).
 */
import type { Adapter } from './adapter.ts';

export interface FlintSystem { name: string; library: 'flint'; pkg: string; backend: string }
export interface TfjsSystem { name: string; library: 'tfjs'; backend: 'cpu' | 'wasm' }
export type System = FlintSystem | TfjsSystem;

export const systems: readonly System[] = [
  { name: 'flint-cpu-js', library: 'flint', pkg: '@flint/cpu-js', backend: 'cpu-js' },
  { name: 'flint-wasm-simd', library: 'flint', pkg: '@flint/wasm-simd', backend: 'wasm-simd' },
  { name: 'flint-webgpu', library: 'flint', pkg: '@flint/webgpu', backend: 'webgpu' },
  { name: 'tfjs-cpu', library: 'tfjs', backend: 'cpu' },
  { name: 'tfjs-wasm', library: 'tfjs', backend: 'wasm' },
];

export function system(name: string): System {
  const found = systems.find((s) => s.name === name);
  if (!found) throw new Error(`unknown system '${name}'; known: ${systems.map((s) => s.name).join(', ')}`);
  return found;
}

/** Whether the system's package is installed and loads; TensorFlow.js is a dependency of this app. */
export async function isPresent(s: System): Promise<boolean> {
  if (s.library === 'tfjs') return true;
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
  return (await import('./tfjs.ts')).createTfjs(s);
}
