/**
 * The safetensors container: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * describing each tensor, then the data section. Parsing validates everything the spec requires
 * before any tensor is made, so a bad file fails without side effects. The rules follow the
 * "Format" section of the huggingface/safetensors README and its reference implementation.
 */
import { fileDType, supportedFileDTypes, type FileDType } from './dtypes.ts';
import { scanObject } from './json-keys.ts';

/** One tensor's header entry; `begin`/`end` are byte offsets into the data section. */
export interface HeaderEntry {
  readonly name: string;
  readonly dtype: FileDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A parsed, validated header. */
export interface Header {
  /** In the order the header lists them. */
  readonly entries: readonly HeaderEntry[];
  readonly metadata: Record<string, string>;
  /** Where the data section starts in the file. */
  readonly dataStart: number;
}

/** Throws an `Error` describing the problem, prefixed with where it happened. */
export type Fail = (problem: string) => never;

/** The reference implementation refuses larger headers; so does flint, rather than allocate them. */
const maxHeaderBytes = 100_000_000;
const metadataKey = '__metadata__';
/** The header object, a tensor entry, and its shape or data_offsets list. */
const maxHeaderDepth = 3;

/** A short rendering of a bad header value for an error message. */
const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Reads and validates the header of a whole safetensors file.
 * @example parseHeader(bytes, (p) => { throw new Error(`deserialize(): safetensors: ${p}`); })
 */
export function parseHeader(bytes: Uint8Array, fail: Fail): Header {
  if (bytes.length < 8) fail(`the data is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(maxHeaderBytes)) fail(`header length ${n} exceeds the format's limit of ${maxHeaderBytes} bytes (not a safetensors file?)`);
  const dataStart = 8 + Number(n);
  if (dataStart > bytes.length) fail(`header length ${n} runs past the end of the data (${bytes.length} bytes; file truncated?)`);
  if (bytes[8] !== 0x7b) fail("the header does not start with '{'");
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let json: Record<string, unknown>;
  try {
    // Valid JSON that starts with '{' is an object.
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    return fail(`the header is not valid JSON (${(err as Error).message})`);
  }
  const { keys, depth } = scanObject(text);
  // Deeper values are invalid anyway; refusing them first keeps error reporting (which prints
  // values with the recursive JSON.stringify) off a value nested thousands deep.
  if (depth > maxHeaderDepth) fail(`the header nests ${depth} levels deep; a safetensors header nests at most ${maxHeaderDepth} (an object of tensor entries whose shapes are lists)`);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) fail(`the header lists '${k}' more than once`);
    seen.add(k);
  }

  const metadata = parseMetadata(json[metadataKey], fail);
  const entries = keys.filter((k) => k !== metadataKey).map((name) => parseEntry(name, json[name], fail));
  checkLayout(entries, bytes.length - dataStart, fail);
  return { entries, metadata, dataStart };
}

function parseMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) return fail(`'${metadataKey}' must be an object of strings, got ${show(value)}`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(`'${metadataKey}' values must be strings; '${k}' is ${show(v)}`);
  }
  return { ...(value as Record<string, string>) };
}

function parseEntry(name: string, info: unknown, fail: Fail): HeaderEntry {
  if (!isObject(info)) return fail(`tensor '${name}': expected {"dtype", "shape", "data_offsets"}, got ${show(info)}`);
  const { dtype: dtypeName, shape, data_offsets: offsets } = info;
  if (typeof dtypeName !== 'string') return fail(`tensor '${name}': "dtype" must be a string, got ${show(dtypeName)}`);
  const dtype = fileDType(dtypeName);
  if (!dtype) return fail(`tensor '${name}' has dtype '${dtypeName}', which flint cannot load (supported: ${supportedFileDTypes.join(', ')})`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) return fail(`tensor '${name}': "shape" must be a list of non-negative integers, got ${show(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    return fail(`tensor '${name}': "data_offsets" must be [begin, end] with 0 <= begin <= end, got ${show(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const bytes = shape.reduce((a: number, d: number) => a * d, dtype.size);
  if (end - begin !== bytes) {
    fail(`tensor '${name}' has shape [${shape.join(', ')}] of ${dtypeName} (${bytes} bytes) but data_offsets [${begin}, ${end}) span ${end - begin} bytes`);
  }
  return { name, dtype, shape, begin, end };
}

/** The spec requires the tensors to tile the data section exactly: no overlap, no holes, nothing after. */
function checkLayout(entries: readonly HeaderEntry[], dataBytes: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: HeaderEntry | undefined;
  for (const e of sorted) {
    if (e.begin < covered) fail(`tensors '${previous!.name}' [${previous!.begin}, ${previous!.end}) and '${e.name}' [${e.begin}, ${e.end}) overlap`);
    if (e.begin > covered) fail(`bytes [${covered}, ${e.begin}) of the data section belong to no tensor (the format forbids holes)`);
    if (e.end > dataBytes) fail(`tensor '${e.name}' claims bytes [${e.begin}, ${e.end}) but the data section has ${dataBytes} bytes (file truncated?)`);
    covered = e.end;
    previous = e;
  }
  if (covered < dataBytes) fail(`the data section has ${dataBytes} bytes but the tensors cover only ${covered} (trailing bytes)`);
}

/** A tensor as {@link encodeHeader} writes it. */
export interface WrittenEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * The 8-byte length and the JSON header, laid out as the reference writer does: compact JSON,
 * `__metadata__` first (when given), padded with spaces to a multiple of 8 bytes so the data
 * section starts aligned. Entries appear in the order given.
 * @example encodeHeader([], undefined) // 8,0,0,0,0,0,0,0 then '{}' and six spaces
 */
export function encodeHeader(entries: readonly WrittenEntry[], metadata: Record<string, string> | undefined): Uint8Array {
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`${JSON.stringify(metadataKey)}:${JSON.stringify(metadata)}`);
  // Built by hand rather than with one JSON.stringify so integer-like names keep their order.
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype, shape: e.shape, data_offsets: [e.begin, e.end] })}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const length = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + length).fill(0x20, 8 + json.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  out.set(json, 8);
  return out;
}
