/**
 * An imported ONNX graph as a flint module: a forward that runs the graph's nodes in order over
 * flint ops, and the graph's float initializers as its parameters (BatchNormalization's running
 * statistics as parameters without gradient), so the model trains, saves and moves between devices
 * like any other.
 */
import * as flint from '@flint/core';
import { Attributes, type AttributeProto } from './attributes.ts';
import { HANDLERS } from './ops/index.ts';
import { fromProto, HostValue, ONNX_TYPE, protoNumbers, type TensorProto, type Value } from './values.ts';

export interface NodeProto {
  name?: string;
  opType: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProto[];
}

export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: Array<{ name: string }>;
  output?: Array<{ name: string }>;
}

/**
 * Holds members under exact names (initializer names are not JavaScript identifiers, and must
 * keep their state-dict spelling): `fc1.weight` is parameter `weight` of child `fc1`.
 */
class Scope extends flint.nn.Module {
  readonly members = new Map<string, flint.Tensor | Scope>();

  protected override ownMembers(): Array<[string, unknown]> {
    return [...this.members];
  }

  /** The scope for the dotted prefix of `name`, made as needed, and the last part of the name. */
  place(name: string): [Scope, string] {
    const parts = name.split('.');
    let scope: Scope = this;
    for (const part of parts.slice(0, -1)) {
      let next = scope.members.get(part);
      if (!(next instanceof Scope)) {
        next = new Scope();
        scope.members.set(part, next);
      }
      scope = next;
    }
    return [scope, parts.at(-1)!];
  }

  forward(): never {
    throw new Error('onnx.load(): an initializer scope has no forward');
  }
}

/** Inputs of BatchNormalization that hold running statistics, not trainable values. */
const STATISTICS: Readonly<Record<string, readonly number[]>> = { BatchNormalization: [3, 4] };

export class OnnxModule extends flint.nn.Module {
  readonly #state = new Scope();
  readonly #nodes: readonly NodeProto[];
  /** Values every forward starts from: initializers (tensors, or host values for int64 ones). */
  readonly #constants = new Map<string, Value>();
  /** Names of the graph inputs the caller supplies (those that are not initializers), in order. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];

  constructor(graph: GraphProto) {
    super();
    this.#nodes = graph.node ?? [];
    for (const node of this.#nodes) {
      if (node.domain && node.domain !== 'ai.onnx') throw new RangeError(`onnx.load(): op ${node.domain}.${node.opType} (node ${node.name ?? ''}) is not supported`);
      if (!HANDLERS[node.opType]) throw new RangeError(`onnx.load(): op ${node.opType} (node ${node.name ?? ''}) is not supported`);
    }
    const statistics = new Set(this.#nodes.flatMap((n) => (STATISTICS[n.opType] ?? []).map((i) => n.input?.[i]).filter((s): s is string => !!s)));
    flint.tidy(() => {
      for (const init of graph.initializer ?? []) {
        const name = init.name ?? '';
        if (init.dataType !== ONNX_TYPE.float && init.dataType !== ONNX_TYPE.double) {
          // Integer and boolean initializers (shapes, indices) stay on the host; ops make tensors of them on their inputs' device.
          this.#constants.set(name, new HostValue(init.dims ?? [], protoNumbers('onnx.load()', init), init.dataType ?? 0));
          continue;
        }
        const [scope, key] = this.#state.place(name);
        // Running statistics are parameters that take no gradient, so they move and save with the rest.
        scope.members.set(key, new flint.nn.Parameter(fromProto('onnx.load()', init) as flint.Tensor, !statistics.has(name)));
      }
    });
    const initialized = new Set((graph.initializer ?? []).map((i) => i.name));
    this.inputNames = (graph.input ?? []).map((i) => i.name).filter((n) => !initialized.has(n));
    this.outputNames = (graph.output ?? []).map((o) => o.name);
  }

  protected override ownMembers(): Array<[string, unknown]> {
    // The initializers' names are the model's state-dict keys, with nothing in front.
    return [...this.#state.members];
  }

  /** The initializer named `name` (a parameter or a statistics tensor). */
  #initializer(name: string): flint.Tensor | undefined {
    const [scope, key] = this.#state.place(name);
    const v = scope.members.get(key);
    return v instanceof flint.Tensor ? v : undefined;
  }

  /** Runs the graph on `inputs` (in {@link inputNames} order); returns its outputs, one tensor or a list. */
  forward(...inputs: flint.Tensor[]): flint.Tensor | flint.Tensor[] {
    if (inputs.length !== this.inputNames.length) {
      throw new RangeError(`onnx.load(): the model takes ${this.inputNames.length} inputs (${this.inputNames.join(', ')}), got ${inputs.length}`);
    }
    inputs.forEach((x, i) => {
      if (!(x instanceof flint.Tensor)) throw new TypeError(`onnx.load(): input ${i} (${this.inputNames[i]}) must be a Tensor`);
      x.assertAlive('OnnxModule');
    });
    const device = inputs[0]?.device ?? this.parameters()[0]?.device ?? flint.getBackendName() ?? 'cpu-js';
    const values = new Map<string, Value>(this.#constants);
    this.inputNames.forEach((name, i) => values.set(name, inputs[i]!));
    const lookup = (name: string): Value | undefined => {
      if (name === '') return undefined;
      const v = values.get(name) ?? this.#initializer(name);
      if (v === undefined) throw new RangeError(`onnx.load(): value ${name} is used before any node makes it`);
      return v;
    };
    const outputs = flint.tidy(() => {
      for (const node of this.#nodes) {
        const args = (node.input ?? []).map(lookup);
        const results = HANDLERS[node.opType]!(args, new Attributes(node.opType, node.attribute ?? []), { device, training: this.training });
        (node.output ?? []).forEach((name, i) => {
          if (name !== '' && results[i] !== undefined) values.set(name, results[i]!);
        });
      }
      return this.outputNames.map((name) => {
        const v = lookup(name)!;
        return v instanceof flint.Tensor ? v : flint.tensor([...v.data], { dtype: 'int32', device }).reshape([...v.dims]);
      });
    });
    return outputs.length === 1 ? outputs[0]! : outputs;
  }
}
