/**
 * While a trace runs, every started backend's methods are wrapped: a kernel called outside
 * recorded ops on a traced value's storage means an op without a mapping computed on the graph,
 * which would otherwise be missing from it. Restored when the trace ends.
 */
import { startedBackends } from '../backend/registry.ts';
import { swapMethods, type Method } from '../backend/swap-methods.ts';
import type { TraceSession } from './session.ts';

/** Instruments the started backends for `session`; the returned function restores them. */
export function guardBackends(session: TraceSession): () => void {
  return swapMethods(startedBackends(), 'flintTraced', (_backend, method, fn): Method =>
    function flintTraced(this: unknown, ...args: unknown[]): unknown {
      if (session.depth === 0 && args.some((a) => session.touches(a))) throw session.unmapped(method);
      return fn.apply(this, args);
    });
}
