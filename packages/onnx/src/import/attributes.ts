/** A node's attributes, read by name with defaults, as each op's handler needs them. */
import type { TensorProto } from './values.ts';

/** The AttributeProto fields the importer reads (protobufjs's camelCase names). */
export interface AttributeProto {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export class Attributes {
  readonly #byName: Map<string, AttributeProto>;

  constructor(
    readonly op: string,
    list: readonly AttributeProto[],
  ) {
    this.#byName = new Map(list.map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  // A field holding its type's default (0, an empty list) is left out of the encoding, so a
  // present attribute without it holds that default, not the op's.
  int(name: string, fallback: number): number {
    const a = this.#byName.get(name);
    return a ? (a.i ?? 0) : fallback;
  }

  float(name: string, fallback: number): number {
    const a = this.#byName.get(name);
    return a ? (a.f ?? 0) : fallback;
  }

  ints(name: string, fallback: readonly number[] = []): number[] {
    const a = this.#byName.get(name);
    return a ? [...(a.ints ?? [])] : [...fallback];
  }

  string(name: string, fallback: string): string {
    const s = this.#byName.get(name)?.s;
    return s ? new TextDecoder().decode(s) : fallback;
  }

  strings(name: string, fallback: readonly string[] = []): string[] {
    const a = this.#byName.get(name);
    return a ? (a.strings ?? []).map((s) => new TextDecoder().decode(s)) : [...fallback];
  }

  tensor(name: string): TensorProto | undefined {
    return this.#byName.get(name)?.t;
  }

  /** Throws naming the op and attribute when it is set to anything but `allowed` (its only supported value). */
  only(name: string, allowed: number | string, read: (a: Attributes) => number | string = (a) => (typeof allowed === 'number' ? a.int(name, allowed) : a.string(name, allowed))): void {
    const value = read(this);
    if (value !== allowed) throw new RangeError(`onnx.load(): ${this.op} with ${name}=${String(value)} is not supported (only ${String(allowed)})`);
  }
}
