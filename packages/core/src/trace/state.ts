/**
 * The one global a trace sets. Ops with a mapping run their body through {@link traced}; when no
 * trace is active that is one comparison and the call, so untraced code pays nothing for tracing.
 */
import type { TraceSession } from './session.ts';

let active: TraceSession | null = null;

/** @internal The running trace, or null. */
export function activeTrace(): TraceSession | null {
  return active;
}

/** @internal Whether a trace runs: hot primitives test it before making `traced`'s closure. */
export function isTracing(): boolean {
  return active !== null;
}

/** @internal Starts (`session`) or ends (null) a trace. */
export function setActiveTrace(session: TraceSession | null): void {
  active = session;
}

/**
 * Runs `run`, the body of the public op `op` over `inputs` (tensors, numbers, null, or arrays of
 * them) with `attrs`; while a trace is active and this is the outermost such op, records it. For
 * extension authors whose ops should appear in traces (ONNX export) under their own name.
 */
export function traced<T>(op: string, inputs: readonly unknown[], attrs: object, run: () => T): T {
  if (active === null) return run();
  return active.record(op, inputs, attrs, run);
}

/** @internal Called by the argument checks public ops run first, so a trace can name an op it cannot record. */
export function noteOp(op: string): void {
  if (active !== null) active.note(op);
}

/** The attributes of an op that has none, shared so that untraced calls allocate nothing for them. */
export const NO_ATTRS: object = Object.freeze({});
