/**
 * Checkpoints as bytes in the safetensors format. No file system is involved, so this is the
 * browser path (fetch, IndexedDB, file inputs); `save`/`load` add files on Node.
 */
import { backendFor, defaultBackend } from '../backend/registry.ts';
import { Tensor } from '../tensor/tensor.ts';
import { itemSize } from '../tensor/dtype.ts';
import { numel } from '../tensor/shape.ts';
import { wrap } from '../ops/kernel.ts';
import { decode, encode, writeDTypes } from './dtypes.ts';
import { encodeHeader, parseHeader, type Fail, type WrittenEntry } from './header.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/**
 * Named tensors, as `Module.stateDict()` gives them. A Map keeps any order; a plain object lists
 * integer-like names ("0", "12") first, as JavaScript orders its keys.
 */
export type StateDict = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface SerializeOptions {
  /** Free-form strings stored in the header's `__metadata__`, e.g. `{ format: 'pt' }`. */
  metadata?: Record<string, string>;
}

/** @internal */
export const SERIALIZE_OPTIONS: OptionKeys<SerializeOptions> = { metadata: true };

export interface DeserializeOptions {
  /** A started backend to create the tensors on; the default backend when omitted. */
  device?: string;
}

/** @internal */
export const DESERIALIZE_OPTIONS: OptionKeys<DeserializeOptions> = { device: true };

/** What a checkpoint holds. */
export interface Checkpoint {
  /** In the order the header lists them: for a file flint wrote, the order they were saved in. */
  tensors: Map<string, Tensor>;
  /** The header's `__metadata__`; empty when the file has none. */
  metadata: Record<string, string>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

const failWith = (where: string): Fail => (problem) => {
  throw new Error(`${where}: ${problem}`);
};

/**
 * Encodes named tensors as a safetensors file. Data is laid out as the reference writer does
 * (descending alignment, then name) and views are written as contiguous data; the header lists
 * the tensors in the order given, so {@link deserialize} gives them back in that order.
 * @example
 * const bytes = await flint.serialize(model.stateDict(), { metadata: { epoch: '3' } });
 * const { tensors, metadata } = flint.deserialize(bytes);
 */
export async function serialize(state: StateDict, options: SerializeOptions = {}): Promise<Uint8Array> {
  checkOptions('serialize', options, SERIALIZE_OPTIONS);
  return encodeState('serialize()', state, options);
}

/** @internal {@link serialize}, with errors naming `op` (save() uses it). */
export async function encodeState(op: string, state: StateDict, options: SerializeOptions): Promise<Uint8Array> {
  const fail = failWith(op);
  const entries = stateEntries(state, fail);
  checkMetadata(options.metadata, fail);
  const layout = [...entries].sort(([an, a], [bn, b]) => writeDTypes[b.dtype].rank - writeDTypes[a.dtype].rank || compareCodePoints(an, bn));
  const placed = new Map<string, WrittenEntry>();
  let offset = 0;
  for (const [name, t] of layout) {
    const end = offset + t.size * itemSize(t.dtype);
    placed.set(name, { name, dtype: writeDTypes[t.dtype].name, shape: t.shape, begin: offset, end });
    offset = end;
  }
  const header = encodeHeader(entries.map(([name]) => placed.get(name)!), options.metadata);
  const out = new Uint8Array(header.length + offset);
  out.set(header);
  // One tensor's host copy at a time, written straight into place.
  for (const [name, t] of layout) encode(t.dtype, await t.data(), out, header.length + placed.get(name)!.begin);
  return out;
}

function stateEntries(state: StateDict, fail: Fail): Array<[string, Tensor]> {
  const entries: Array<[unknown, unknown]> = state instanceof Map ? [...state] : isPlainObject(state) ? Object.entries(state) : fail(`expected a Map or a plain object of tensors, got ${String(state)}`);
  for (const [name, t] of entries) {
    if (typeof name !== 'string') fail(`tensor names must be strings, got ${typeof name}`);
    if (name === '__metadata__') fail("'__metadata__' is reserved by the format and cannot name a tensor");
    if (!(t instanceof Tensor)) fail(`'${name}' is not a Tensor (got ${t === null ? 'null' : typeof t})`);
    if (t.isDisposed) fail(`tensor '${name}' has been disposed`);
  }
  return entries as Array<[string, Tensor]>;
}

function checkMetadata(metadata: unknown, fail: Fail): void {
  if (metadata === undefined) return;
  if (!isPlainObject(metadata)) fail('metadata must be an object of strings');
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') fail(`metadata values must be strings; '${k}' is ${typeof v}`);
  }
}

/** Orders by Unicode code point, as the reference writer compares names (UTF-8 bytes); `<` compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const diff = a.codePointAt(i)! - b.codePointAt(i)!;
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}

/**
 * Decodes a safetensors file into tensors on `device`. Files from PyTorch may hold other dtypes:
 * F64, F16 and BF16 load as float32; I64, U64, U32, I16, U16, I8 and U8 as int32 (an error if a
 * value does not fit); BOOL as bool. Invalid files throw a clear `Error`, and no tensor is left
 * behind.
 * @example
 * const bytes = new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer());
 * const { tensors, metadata } = flint.deserialize(bytes, { device: 'webgpu' });
 */
export function deserialize(bytes: Uint8Array | ArrayBuffer, options: DeserializeOptions = {}): Checkpoint {
  checkOptions('deserialize', options, DESERIALIZE_OPTIONS);
  return decodeState('deserialize(): safetensors', bytes, options);
}

/** @internal {@link deserialize}, with errors prefixed by `where` (load() names the file). */
export function decodeState(where: string, bytes: Uint8Array | ArrayBuffer, options: DeserializeOptions): Checkpoint {
  const fail = failWith(where);
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) fail(`expected a Uint8Array or ArrayBuffer, got ${String(bytes)}`);
  const backend = options.device === undefined ? defaultBackend() : backendFor(options.device);
  const header = parseHeader(data, fail);
  const tensors = new Map<string, Tensor>();
  try {
    for (const e of header.entries) {
      const host = decode(e.dtype, data, header.dataStart + e.begin, numel(e.shape), (index, value) =>
        fail(`tensor '${e.name}' (${e.dtype.name}) holds ${value} at flat index ${index}, which does not fit in int32, flint's integer dtype`),
      );
      tensors.set(e.name, wrap(backend, backend.upload(host, e.dtype.loadsAs), e.shape, e.dtype.loadsAs));
    }
  } catch (err) {
    for (const t of tensors.values()) t.dispose();
    throw err;
  }
  return { tensors, metadata: header.metadata };
}
