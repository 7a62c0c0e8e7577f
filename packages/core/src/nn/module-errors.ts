/**
 * Naming the module whose forward threw. An error from deep inside a model (`mat1 and mat2 shapes
 * cannot be multiplied`) does not say which layer was fed the wrong input; each module's forward
 * wrapper passes the error through {@link nameFailingModule}, which prefixes it with the innermost
 * failing module's path, from the outermost module called, and its repr:
 * `layers.0 (Linear(in_features=10, out_features=5, bias=True)): mat1 and mat2 shapes ...`.
 */
import type { Module } from './module.ts';

/** The innermost module an error came from, and the error's own message. */
interface Failure {
  readonly module: Module;
  readonly message: string;
}

const failures = new WeakMap<Error, Failure>();

/** `m` as one line: its class and settings, without children. */
const shortRepr = (m: Module): string => `${m.constructor.name}(${m.extraRepr()})`;

/**
 * Rewrites `err` in place (so it keeps its class) to name its failing module as `caller`, which
 * is unwinding it, sees it. An enclosing module's wrapper calls this again with the longer path;
 * a failing module that is not registered under `caller` keeps the name it has.
 */
export function nameFailingModule(err: unknown, caller: Module): void {
  if (!(err instanceof Error)) return;
  let failure = failures.get(err);
  if (!failure) {
    failure = { module: caller, message: err.message };
    failures.set(err, failure);
  }
  const found = caller.namedModules().find(([, m]) => m === failure.module);
  if (!found) return;
  const [path] = found;
  const before = err.message;
  const repr = shortRepr(failure.module);
  err.message = `${path ? `${path} (${repr})` : repr}: ${failure.message}`;
  // V8 renders `stack` once, with the message of that moment: keep it in step.
  const header = `${err.name}: ${before}`;
  if (err.stack?.startsWith(header)) err.stack = `${err.name}: ${err.message}${err.stack.slice(header.length)}`;
}
