/**
 * A running trace: which tensors are traced values, the ops recorded so far, and the depth of
 * recorded ops being run (ops called inside a recorded op are its implementation, not recorded).
 */
import type { Storage } from '../backend/types.ts';
import type { StorageRef } from '../memory/storage-ref.ts';
import { Tensor } from '../tensor/tensor.ts';
import { keep } from '../memory/scope.ts';
import type { TraceArg, TraceConstant, TraceNode, TraceValue } from './graph.ts';

/** Who traces, for error messages: `onnx.export(): gelu() has no ONNX mapping`. */
export interface TraceTarget {
  /** The public function that runs the trace (`onnx.export`). */
  readonly caller: string;
  /** What recorded ops are translated to (`ONNX`). */
  readonly format: string;
}

/** Every tensor in an op's result, in order: tensors, arrays and plain objects are searched. */
export function tensorsIn(value: unknown, into: Tensor[] = []): Tensor[] {
  if (value instanceof Tensor) into.push(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, into);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, into);
  }
  return into;
}

export class TraceSession {
  /** Recorded ops are running while this is above 0. */
  depth = 0;
  readonly nodes: TraceNode[] = [];
  readonly constants: TraceConstant[] = [];
  private readonly values = new Map<Tensor, TraceValue>();
  private readonly constantOf = new Map<Tensor, TraceConstant>();
  /** Storages of traced values, held (retained) until the trace ends so that none is freed and reused meanwhile. */
  private readonly storages = new Set<Storage>();
  private readonly held: StorageRef[] = [];
  /** The last public op entered outside recorded ops: the one to name when an unrecorded op touches a traced value. */
  private lastOp: string | null = null;

  constructor(
    readonly target: TraceTarget,
    private readonly names: ReadonlyMap<Tensor, string>,
  ) {}

  /** Makes `t` a traced value (an input, or an output of a recorded op). */
  addValue(t: Tensor): TraceValue {
    const value: TraceValue = { id: this.values.size, shape: t.shape, dtype: t.dtype };
    this.values.set(t, value);
    if (!this.storages.has(t.ref.storage)) {
      this.storages.add(t.ref.storage);
      this.held.push(t.ref.retain());
    }
    return value;
  }

  valueOf(t: Tensor): TraceValue | undefined {
    return this.values.get(t);
  }

  /** Whether a kernel argument (a view, a storage or a list of views) reads a traced value's storage. */
  touches(arg: unknown): boolean {
    if (Array.isArray(arg)) return arg.some((a) => this.touches(a));
    if (typeof arg !== 'object' || arg === null) return false;
    return this.storages.has(arg as Storage) || ('storage' in arg && this.storages.has((arg as { storage: Storage }).storage));
  }

  note(op: string): void {
    if (this.depth === 0) this.lastOp = op;
  }

  /** The error for an op that computed on traced values without being recorded. */
  unmapped(fallback: string): Error {
    const { caller, format } = this.target;
    return new Error(`${caller}(): ${this.lastOp ?? fallback}() has no ${format} mapping`);
  }

  /** Runs a mapped op's body, recording it when it is outermost and reads a traced value. */
  record<T>(op: string, inputs: readonly unknown[], attrs: object, run: () => T): T {
    if (this.depth > 0 || !inputs.some((x) => this.reads(x, op))) return this.nested(run);
    const args = inputs.map((x) => this.arg(x));
    const result = this.nested(run);
    const outputs = tensorsIn(result).map((t) => this.addValue(t));
    this.nodes.push({ op, inputs: args, attrs: attrs as Readonly<Record<string, unknown>>, outputs });
    this.lastOp = null;
    return result;
  }

  private nested<T>(run: () => T): T {
    this.depth++;
    try {
      return run();
    } finally {
      this.depth--;
    }
  }

  /**
   * Whether an op argument is (or lists) a traced value. A tensor that shares a traced value's
   * storage without being one is a view made by an op that has no mapping: an error.
   */
  private reads(x: unknown, op: string): boolean {
    if (Array.isArray(x)) return x.some((item) => this.reads(item, op));
    if (!(x instanceof Tensor)) return false;
    if (this.values.has(x)) return true;
    if (this.storages.has(x.ref.storage)) throw this.unmapped(op);
    return false;
  }

  private arg(x: unknown): TraceArg {
    if (Array.isArray(x)) return { kind: 'list', items: x.map((item) => this.arg(item)) };
    if (x instanceof Tensor) {
      const value = this.values.get(x);
      return value ? { kind: 'value', value } : { kind: 'constant', constant: this.constant(x) };
    }
    if (typeof x === 'number' || typeof x === 'boolean') return { kind: 'scalar', value: x };
    return { kind: 'none' };
  }

  /** `t` as a constant of the graph, one per tensor; a handle on it outlives the forward's memory scopes. */
  private constant(t: Tensor): TraceConstant {
    let constant = this.constantOf.get(t);
    if (!constant) {
      const handle = keep(new Tensor(t.ref.retain(), t.shape, t.strides, t.offset, t.dtype));
      constant = { index: this.constants.length, name: this.names.get(t) ?? null, tensor: handle };
      this.constants.push(constant);
      this.constantOf.set(t, constant);
    }
    return constant;
  }

  /** Lets go of the traced values' storages. */
  release(): void {
    for (const ref of this.held) ref.release();
    this.held.length = 0;
  }
}
