/** Tracing a forward pass into a {@link TraceGraph}: the entry point export tools build on. */
import { Tensor } from '../tensor/tensor.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { typeName } from '../tensor/type-name.ts';
import type { TraceGraph, TraceValue } from './graph.ts';
import { TraceSession, tensorsIn, type TraceTarget } from './session.ts';
import { activeTrace, setActiveTrace } from './state.ts';
import { guardBackends } from './guard.ts';

export interface TraceOptions extends TraceTarget {
  /** Names for the constants the forward reads: parameters and buffers under their state-dict names. */
  names?: ReadonlyMap<Tensor, string>;
}

/**
 * Runs `fn(...inputs)` once without gradients and records the outermost public ops with a mapping
 * (those that call {@link traced}) that it runs on values computed from `inputs`. Ops without a
 * mapping that touch such values throw `<caller>(): <op>() has no <format> mapping`. The backends
 * are restored and the forward's tensors freed whether or not it succeeds; the graph's constants
 * live until `graph.dispose()`. For extension authors writing exporters.
 */
export function trace(fn: (...inputs: Tensor[]) => unknown, inputs: readonly Tensor[], options: TraceOptions): TraceGraph {
  const { caller } = options;
  if (activeTrace() !== null) throw new Error(`${caller}(): another trace is running`);
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`${caller}(): example input ${i + 1} must be a Tensor, not ${typeName(x)}`);
    x.assertAlive(caller);
  });
  const session = new TraceSession(options, options.names ?? new Map());
  const inputValues = inputs.map((x) => session.addValue(x));
  const restore = guardBackends(session);
  setActiveTrace(session);
  let outputs: TraceValue[];
  try {
    outputs = tidy(() => {
      const result = noGrad(() => fn(...inputs));
      return tensorsIn(result).map((t, i) => {
        const value = session.valueOf(t);
        if (value) return value;
        if (session.touches(t.layout)) throw session.unmapped('output');
        throw new Error(`${caller}(): output ${i + 1} does not depend on the inputs`);
      });
    });
  } catch (error) {
    for (const c of session.constants) c.tensor.dispose();
    throw error;
  } finally {
    setActiveTrace(null);
    restore();
    session.release();
  }
  return {
    inputs: inputValues,
    nodes: session.nodes,
    outputs,
    constants: session.constants,
    dispose: () => {
      for (const c of session.constants) c.tensor.dispose();
    },
  };
}
