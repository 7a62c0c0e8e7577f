/**
 * Which dims of the traced values vary with the dynamic axes. The forward is traced a second time
 * on probe inputs whose dynamic axes are one longer; dims that differ between the two traces are
 * dynamic. Shapes written into the graph (Reshape's target, say) use this to stay symbolic there.
 */
import * as flint from '@flint/core';

type Graph = flint.tracing.TraceGraph;

/** Per value id, which of its dims are dynamic. */
export type DynamicDims = ReadonlyMap<number, readonly boolean[]>;

/** The example inputs with each dynamic axis grown by one (its first entry repeated, so indices stay valid). */
export function probeInputs(inputs: readonly flint.Tensor[], axes: ReadonlyArray<readonly number[]>): flint.Tensor[] {
  return flint.tidy(() =>
    inputs.map((x, i) => {
      let probe = x;
      for (const axis of axes[i] ?? []) probe = flint.cat([probe, probe.narrow(axis, 0, 1)], axis);
      return probe === x ? x.clone() : probe;
    }),
  );
}

function shapeDiff(a: readonly number[], b: readonly number[]): boolean[] {
  return a.map((d, i) => d !== b[i]);
}

/** Compares the trace of the example with that of the probe; throws where the forward depends on dynamic sizes in ways ONNX cannot follow. */
export function dynamicDims(example: Graph, probe: Graph): DynamicDims {
  const sameOps = example.nodes.length === probe.nodes.length && example.nodes.every((n, i) => n.op === probe.nodes[i]!.op && n.outputs.length === probe.nodes[i]!.outputs.length);
  if (!sameOps) throw new Error('onnx.export(): the forward runs other ops when a dynamic axis changes size; export with fixed sizes (no dynamicAxes) instead');
  example.constants.forEach((c, i) => {
    const other = probe.constants[i];
    if (!other || shapeDiff(c.tensor.shape, other.tensor.shape).some(Boolean) || c.tensor.ndim !== other.tensor.ndim) {
      throw new Error(`onnx.export(): a constant of shape [${c.tensor.shape.join(', ')}] is made from the size of a dynamic axis inside the forward; that axis cannot be dynamic`);
    }
  });
  const dims = new Map<number, boolean[]>();
  const add = (a: flint.tracing.TraceValue, b: flint.tracing.TraceValue): void => void dims.set(a.id, shapeDiff(a.shape, b.shape));
  example.inputs.forEach((v, i) => add(v, probe.inputs[i]!));
  example.nodes.forEach((n, i) => n.outputs.forEach((v, j) => add(v, probe.nodes[i]!.outputs[j]!)));
  return dims;
}
