import type { Backend, BackendFactory } from './types.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** What a backend package exports so that core can find and start it by name. */
export interface BackendRegistration {
  /** Canonical name, e.g. `wasm-simd`. */
  readonly name: string;
  /** Other names users may type, e.g. `wasm`. */
  readonly aliases: readonly string[];
  /** Higher is preferred when `init()` picks a default. */
  readonly priority: number;
  readonly factory: BackendFactory;
}

const registrations = new Map<string, BackendRegistration>();
const ready = new Map<string, Backend>();
const starting = new Map<string, Promise<Backend>>();
/** The registered name each started backend answers to: a tensor's device. */
const deviceNames = new Map<Backend, string>();
let defaultName: string | undefined;

/** Makes a backend available to {@link setBackend} and {@link init}. Backend packages call it on import. */
export function registerBackend(registration: BackendRegistration): void {
  registrations.set(registration.name, registration);
}

function resolveName(name: string): string {
  for (const r of registrations.values()) {
    if (r.name === name || r.aliases.includes(name)) return r.name;
  }
  const known = [...registrations.values()].map((r) => [r.name, ...r.aliases].join('/')).join(', ');
  throw new Error(
    `Unknown backend '${name}'. Registered backends: ${known || 'none'}. ` +
      `Install and import a backend package, e.g. \`import '@flint/cpu-js'\`.`,
  );
}

async function start(name: string): Promise<Backend> {
  const canonical = resolveName(name);
  const existing = ready.get(canonical);
  if (existing) return existing;
  let pending = starting.get(canonical);
  if (!pending) {
    pending = Promise.resolve(registrations.get(canonical)!.factory());
    starting.set(canonical, pending);
  }
  try {
    const backend = await pending;
    ready.set(canonical, backend);
    if (!deviceNames.has(backend)) deviceNames.set(backend, canonical);
    return backend;
  } finally {
    starting.delete(canonical);
  }
}

/**
 * Starts (once) and selects the backend new tensors are created on.
 * @example await flint.setBackend('wasm');
 */
export async function setBackend(name: string): Promise<Backend> {
  const backend = await start(name);
  defaultName = deviceNames.get(backend);
  return backend;
}

export interface InitOptions {
  /** Backends to try in order; the first that starts becomes the default. */
  backends?: readonly string[];
}

const INIT_OPTIONS: OptionKeys<InitOptions> = { backends: true };

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.FLINT_BACKEND || undefined;
}

/**
 * Picks the default backend: `FLINT_BACKEND` if set, else the given list, else every registered
 * backend by priority. A backend that fails to start falls through to the next.
 */
export async function init(options: InitOptions = {}): Promise<Backend> {
  checkOptions('init', options, INIT_OPTIONS);
  const env = envBackend();
  const order = env
    ? [env]
    : options.backends ?? [...registrations.values()].sort((a, b) => b.priority - a.priority).map((r) => r.name);
  if (order.length === 0) {
    throw new Error('flint.init(): no backend is registered. Install and import one, e.g. `import \'@flint/cpu-js\'`.');
  }
  const failures: string[] = [];
  for (const name of order) {
    try {
      return await setBackend(name);
    } catch (err) {
      if (env) throw err;
      failures.push(`${name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`flint.init(): no backend could start:\n  ${failures.join('\n  ')}`);
}

/** The default backend, or an error that names the fix. */
export function defaultBackend(): Backend {
  if (defaultName !== undefined) return ready.get(defaultName)!;
  throw new Error(
    'No flint backend is ready. Call `await flint.init()` or `await flint.setBackend(\'cpu\')` ' +
      'after importing a backend package (e.g. `import \'@flint/cpu-js\'`) before creating tensors.',
  );
}

/** A started backend by name or alias, or an error saying it must be started first. */
export function backendFor(device: string): Backend {
  const canonical = resolveName(device);
  const backend = ready.get(canonical);
  if (!backend) {
    throw new Error(`Backend '${device}' is registered but not started. Call \`await flint.setBackend('${device}')\` or \`await flint.startBackend('${device}')\` first.`);
  }
  return backend;
}

/** Starts a backend without making it the default, so tensors can be moved to it. */
export async function startBackend(name: string): Promise<Backend> {
  return start(name);
}

/** The device name of a started backend: the name it was registered under. */
export function deviceName(backend: Backend): string {
  return deviceNames.get(backend) ?? backend.name;
}

/** Name of the default backend, if one is selected. */
export function getBackendName(): string | undefined {
  return defaultName;
}

/** Every started backend. */
export function startedBackends(): readonly Backend[] {
  return [...ready.values()];
}
