/** `onnx.export`: a flint model, traced on example inputs, as an ONNX model (opset 17). */
import * as flint from '@flint/core';
import { GraphBuilder } from './builder.ts';
import { MAPPINGS, unmapped } from './mappings/index.ts';
import { DATA_TYPE, encodeModel } from './proto.ts';
import { dynamicDims, probeInputs, type DynamicDims } from './dynamic.ts';
import { argumentsLike, flattenInputs, type ExampleInputs } from './inputs.ts';
import { loadOnnx } from './import/load.ts';

/** The ONNX opset the exported graphs use. */
export const OPSET = 17;
/** The IR version that goes with opset 17. */
const IR_VERSION = 8;

/** Dynamic dims of one input or output: axis -> dim name, or a list of axes (named `<name>_dim<axis>`). */
export type DynamicAxes = Readonly<Record<string, Readonly<Record<number, string>> | readonly number[]>>;

export interface ExportOptions {
  /** Names of the graph inputs, in order (default `input_0`, `input_1`, ...). */
  inputNames?: readonly string[];
  /** Names of the graph outputs, in the order the forward returns them (default `output_0`, ...). */
  outputNames?: readonly string[];
  /** Per input or output name, the dims whose size may vary at run time (the batch, the sequence), as torch.onnx.export. */
  dynamicAxes?: DynamicAxes;
  /** Trace the model in evaluation mode (default true), restoring its mode afterwards, as torch.onnx.export's default. */
  eval?: boolean;
  /** The model's name in the file (default the module's class name). */
  graphName?: string;
}

/** Where the model goes: a file path, or `{ bytes: true }` to get the encoded model back. */
export type ExportTarget = string | ({ bytes: true } & ExportOptions);

/** A module whose forward takes the example inputs, or a plain function of them. */
export type Exportable = flint.nn.Module | ((...inputs: flint.Tensor[]) => unknown);

/** The traced function: the model's forward, called with the example's structure over the graph's input tensors. */
function forwardOf(model: Exportable, example: ExampleInputs): (...inputs: flint.Tensor[]) => unknown {
  let forward: (...args: unknown[]) => unknown;
  if (model instanceof flint.nn.Module) forward = (...args) => (model as unknown as { forward(...xs: unknown[]): unknown }).forward(...args);
  else if (typeof model === 'function') forward = model as (...args: unknown[]) => unknown;
  else throw new TypeError('onnx.export(): model must be an nn.Module or a function of tensors');
  return (...inputs) => forward(...argumentsLike(example, inputs));
}

/** State-dict names of the model's parameters and buffers, for its initializers. */
function stateNames(model: Exportable): Map<flint.Tensor, string> {
  const names = new Map<flint.Tensor, string>();
  if (!(model instanceof flint.nn.Module)) return names;
  for (const [name, t] of model.namedBuffers()) if (!names.has(t)) names.set(t, name);
  for (const [name, t] of model.namedParameters()) if (!names.has(t)) names.set(t, name);
  return names;
}

/** The axes of `name` listed in `dynamicAxes`, each with its dim name. */
function namedAxes(name: string, dynamic: DynamicAxes): Map<number, string> {
  const spec = dynamic[name];
  if (spec === undefined) return new Map();
  if (Array.isArray(spec)) return new Map(spec.map((axis: number) => [axis, `${name}_dim${axis}`]));
  return new Map(Object.entries(spec as Record<number, string>).map(([axis, dim]) => [Number(axis), dim]));
}

/**
 * The graph input or output `name`: its dtype and dims, symbolic where `dynamicAxes` names them
 * and, for outputs, wherever the dim follows a dynamic axis (named `<name>_dim<axis>` unless named).
 */
function valueInfo(name: string, value: flint.tracing.TraceValue, dynamic: DynamicAxes, follows: readonly boolean[]): Record<string, unknown> {
  const named = namedAxes(name, dynamic);
  const dim = value.shape.map((d, i) => {
    const param = named.get(i) ?? (follows[i] ? `${name}_dim${i}` : undefined);
    return param === undefined ? { dimValue: d } : { dimParam: param };
  });
  return { name, type: { tensorType: { elemType: DATA_TYPE[value.dtype], shape: { dim } } } };
}

function checkNames(kind: string, names: readonly string[] | undefined, count: number): void {
  if (names !== undefined && names.length !== count) throw new RangeError(`onnx.export(): ${kind} has ${names.length} names for ${count} ${kind.replace('Names', 's')}`);
}

/** The dynamic dims of `graph`'s values, from a second trace on `probe` inputs (freed here, as is their graph; `graph` too on failure). */
function traceProbe(graph: flint.tracing.TraceGraph, probe: flint.Tensor[], traceOn: (xs: flint.Tensor[]) => flint.tracing.TraceGraph): DynamicDims {
  try {
    const other = traceOn(probe);
    try {
      return dynamicDims(graph, other);
    } finally {
      other.dispose();
    }
  } catch (error) {
    graph.dispose();
    throw error;
  } finally {
    for (const x of probe) x.dispose();
  }
}

/** The ONNX model of `graph` as bytes. */
async function encode(graph: flint.tracing.TraceGraph, dims: DynamicDims, inputNames: readonly string[], options: ExportOptions, name: string): Promise<Uint8Array> {
  checkNames('outputNames', options.outputNames, graph.outputs.length);
  const dynamic = options.dynamicAxes ?? {};
  const g = new GraphBuilder(dims);
  graph.inputs.forEach((v, i) => g.name(v, inputNames[i]!));
  for (const node of graph.nodes) {
    const mapping = MAPPINGS.get(node.op);
    if (!mapping) throw unmapped(node.op);
    mapping(node, g);
  }
  // Outputs get their own names through Identity nodes: a value may be both an input and an output, or two outputs.
  const outputNames = graph.outputs.map((v, i) => {
    const outName = g.fresh(options.outputNames?.[i] ?? `output_${i}`);
    g.node('Identity', [g.value(v)], [outName]);
    return outName;
  });
  const model = {
    irVersion: IR_VERSION,
    producerName: 'flint',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name,
      node: g.nodes,
      initializer: await g.initializerProtos(),
      input: graph.inputs.map((v, i) => valueInfo(inputNames[i]!, v, dynamic, [])),
      output: graph.outputs.map((v, i) => valueInfo(outputNames[i]!, v, dynamic, g.dynamicDims(v))),
    },
  };
  return encodeModel(model);
}

/**
 * Exports `model` to ONNX (opset 17), as torch.onnx.export: one forward pass on `exampleInputs` (a
 * tensor, or the forward's arguments, lists of tensors among them; the graph's inputs are their tensors in order) is
 * traced (no gradients; in evaluation mode unless `eval: false`, the model's mode restored after)
 * and written with the parameters and buffers as initializers under their state-dict names. Writes
 * `target` when it is a path, or returns the bytes for `{ bytes: true }`. An op with no ONNX mapping
 * is an error naming it: `onnx.export(): cumsum() has no ONNX mapping`.
 * @example await exportOnnx(model, [flint.randn([1, 784])], 'mlp.onnx', { inputNames: ['x'], dynamicAxes: { x: { 0: 'batch' } } })
 */
export async function exportOnnx(model: Exportable, exampleInputs: ExampleInputs, target: { bytes: true } & ExportOptions): Promise<Uint8Array>;
export async function exportOnnx(model: Exportable, exampleInputs: ExampleInputs, target: string, options?: ExportOptions): Promise<void>;
export async function exportOnnx(model: Exportable, exampleInputs: ExampleInputs, target: ExportTarget, options: ExportOptions = {}): Promise<Uint8Array | void> {
  const forward = forwardOf(model, exampleInputs);
  const inputs = flattenInputs(exampleInputs);
  if (typeof target !== 'string' && (typeof target !== 'object' || target === null || target.bytes !== true)) {
    throw new TypeError('onnx.export(): the target must be a file path or { bytes: true }');
  }
  const opts = typeof target === 'string' ? options : target;
  const module = model instanceof flint.nn.Module ? model : null;
  const wasTraining = module?.training ?? false;
  if (module && opts.eval !== false) module.eval();
  checkNames('inputNames', opts.inputNames, inputs.length);
  const inputNames = inputs.map((_, i) => opts.inputNames?.[i] ?? `input_${i}`);
  const axes = inputNames.map((name) => [...namedAxes(name, opts.dynamicAxes ?? {}).keys()]);
  const names = stateNames(model);
  const traceOn = (xs: flint.Tensor[]): flint.tracing.TraceGraph => flint.tracing.trace(forward, xs, { caller: 'onnx.export', format: 'ONNX', names });
  let graph: flint.tracing.TraceGraph;
  let dims: DynamicDims = new Map();
  try {
    graph = traceOn(inputs);
    if (axes.some((a) => a.length > 0)) dims = traceProbe(graph, probeInputs(inputs, axes), traceOn);
  } finally {
    if (module && wasTraining) module.train();
  }
  let bytes: Uint8Array;
  try {
    bytes = await encode(graph, dims, inputNames, opts, opts.graphName ?? (module ? module.constructor.name : 'graph'));
  } finally {
    graph.dispose();
  }
  if (typeof target !== 'string') return bytes;
  const { writeFile } = await import('node:fs/promises');
  await writeFile(target, bytes);
}

/** torch.onnx's spelling: `onnx.export(model, inputs, path)`. */
export const onnx = { export: exportOnnx, load: loadOnnx } as const;
