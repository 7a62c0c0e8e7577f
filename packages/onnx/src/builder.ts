/**
 * The ONNX graph under construction: value names, nodes, and initializers (parameters, buffers and
 * constants, whose values are read once the whole graph is known).
 */
import type { DType, Tensor, tracing } from '@flint/core';
import { ATTRIBUTE_TYPE, DATA_TYPE } from './proto.ts';

/** An ONNX attribute: an integer, a list of integers, a string, or a float (`{ f }`) or float list (`{ fs }`). */
export type Attribute = number | readonly number[] | string | { readonly f: number } | { readonly fs: readonly number[] };

/** An initializer whose bytes are known now, or a flint tensor whose values are read when the model is written. */
type Initializer = { name: string; dims: readonly number[]; dataType: number; raw: Uint8Array } | { name: string; tensor: Tensor };

function attribute(name: string, value: Attribute): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: ATTRIBUTE_TYPE.string, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: ATTRIBUTE_TYPE.int, i: value };
  if (Array.isArray(value)) return { name, type: ATTRIBUTE_TYPE.ints, ints: value };
  if ('f' in value) return { name, type: ATTRIBUTE_TYPE.float, f: value.f };
  return { name, type: ATTRIBUTE_TYPE.floats, floats: (value as { fs: readonly number[] }).fs };
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export class GraphBuilder {
  /** `dynamic`: per traced value id, which dims vary with the dynamic axes (none when absent). */
  constructor(private readonly dynamic: ReadonlyMap<number, readonly boolean[]> = new Map()) {}

  readonly nodes: Array<Record<string, unknown>> = [];
  readonly initializers: Initializer[] = [];
  private readonly valueNames = new Map<number, string>();
  private readonly constantNames = new Map<number, string>();
  private readonly used = new Set<string>();

  /** Binds a traced value to a graph name (the model's inputs and outputs get the user's names). */
  name(value: tracing.TraceValue, name: string): void {
    this.valueNames.set(value.id, name);
    this.used.add(name);
  }

  /** A name not used yet, from `hint`. */
  fresh(hint: string): string {
    let name = hint;
    for (let i = 1; this.used.has(name); i++) name = `${hint}_${i}`;
    this.used.add(name);
    return name;
  }

  /** The graph name of a traced value (named on first use). */
  value(value: tracing.TraceValue): string {
    let name = this.valueNames.get(value.id);
    if (name === undefined) {
      name = this.fresh(`v${value.id}`);
      this.valueNames.set(value.id, name);
    }
    return name;
  }

  /** Which dims of a value vary with the dynamic axes; constants and numbers have none. */
  dynamicDims(arg: tracing.TraceArg | tracing.TraceValue): readonly boolean[] {
    const value = 'kind' in arg ? (arg.kind === 'value' ? arg.value : null) : arg;
    const dims = value ? this.dynamic.get(value.id) : undefined;
    return dims ?? [];
  }

  /** The names of `node`'s outputs. */
  outputs(node: tracing.TraceNode): string[] {
    return node.outputs.map((v) => this.value(v));
  }

  /**
   * The graph name of an op argument: a traced value, a constant (an initializer, under its
   * state-dict name where it has one), or a number made a scalar of `dtype`.
   */
  arg(arg: tracing.TraceArg, dtype: DType = 'float32'): string {
    switch (arg.kind) {
      case 'value':
        return this.value(arg.value);
      case 'constant': {
        const { constant } = arg;
        let name = this.constantNames.get(constant.index);
        if (name === undefined) {
          name = this.fresh(constant.name ?? `const_${constant.index}`);
          this.constantNames.set(constant.index, name);
          this.initializers.push({ name, tensor: constant.tensor });
        }
        return name;
      }
      case 'scalar':
        return this.scalar(Number(arg.value), dtype);
      default:
        throw new Error(`onnx.export(): expected a tensor or a number, got ${arg.kind}`);
    }
  }

  /** A 0-d initializer holding `value` as `dtype`. */
  scalar(value: number, dtype: DType): string {
    const data = dtype === 'float32' ? new Float32Array([value]) : dtype === 'int32' ? new Int32Array([value]) : new Uint8Array([value ? 1 : 0]);
    return this.constant('scalar', [], DATA_TYPE[dtype], bytesOf(data));
  }

  /** A 1-D int64 initializer (shapes, axes, split sizes), or 0-d with `scalar`. */
  ints(values: readonly number[], scalar = false): string {
    return this.constant('ints', scalar ? [] : [values.length], DATA_TYPE.int64, bytesOf(BigInt64Array.from(values, (v) => BigInt(v))));
  }

  private constant(hint: string, dims: readonly number[], dataType: number, raw: Uint8Array): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dims, dataType, raw });
    return name;
  }

  /** Appends a node; returns its first output's name. */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}): string {
    this.nodes.push({
      opType,
      input: inputs,
      output: outputs,
      name: this.fresh(`${opType}_node`),
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return outputs[0]!;
  }

  /** A node with one fresh output; returns its name. */
  step(opType: string, inputs: readonly string[], attributes?: Readonly<Record<string, Attribute>>): string {
    return this.node(opType, inputs, [this.fresh(opType.toLowerCase())], attributes);
  }

  /** The initializers as TensorProtos, reading the values of flint tensors. */
  async initializerProtos(): Promise<Array<Record<string, unknown>>> {
    return Promise.all(
      this.initializers.map(async (init) => {
        if ('raw' in init) return { name: init.name, dims: init.dims, dataType: init.dataType, rawData: init.raw };
        const data = await init.tensor.data();
        return { name: init.name, dims: init.tensor.shape, dataType: DATA_TYPE[init.tensor.dtype], rawData: new Uint8Array(bytesOf(data)) };
      }),
    );
  }
}
