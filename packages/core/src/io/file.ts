/** Checkpoint files on Node; in the browser, `serialize`/`deserialize` work on bytes instead. */
import { decodeState, encodeState, type Checkpoint, type DeserializeOptions, type SerializeOptions, type StateDict } from './safetensors.ts';
import type { Tensor } from '../tensor/tensor.ts';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/**
 * Node's `fs/promises` and `path`, imported on first use. The specifier is passed as a variable,
 * not a literal, so browser bundlers (esbuild, webpack, Vite) leave the import alone rather than
 * fail to resolve a Node built-in when they bundle flint.
 */
async function nodeModules(op: string): Promise<{ fs: NodeFs; path: NodePath }> {
  const importNode = (name: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);
  try {
    const [fs, path] = await Promise.all([importNode('node:fs/promises'), importNode('node:path')]);
    return { fs: fs as NodeFs, path: path as NodePath };
  } catch (err) {
    throw new Error(`${op}: checkpoint files need Node's file system; elsewhere use flint.serialize()/deserialize() on bytes`, { cause: err });
  }
}

/** Node's message, with the common cases said in the caller's terms rather than a syscall's. */
function reason(err: unknown, missing: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (err as Error).message;
}

/**
 * Writes named tensors to a safetensors file (Node only), atomically: the bytes go to a temporary
 * file in the same directory, which then replaces `path` in one rename, so a crash or a failed
 * write never leaves a partial checkpoint behind. The file loads in PyTorch with
 * `safetensors.torch.load_file`.
 * @example await flint.save(model.stateDict(), 'model.safetensors', { metadata: { epoch: '3' } });
 */
export async function save(state: StateDict, path: string, options: SerializeOptions = {}): Promise<void> {
  const bytes = await encodeState('save()', state, options);
  const { fs, path: { basename, dirname, join } } = await nodeModules('save()');
  const dir = dirname(path);
  // Same directory: a rename is only atomic within one file system.
  const temp = join(dir, `.${basename(path)}.${globalThis.crypto.randomUUID()}.tmp`);
  try {
    const file = await fs.open(temp, 'wx');
    try {
      await file.writeFile(bytes);
      // Flush before the rename, so the name never points at data still in the page cache.
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw new Error(`save(): could not write '${path}': ${reason(err, `directory '${dir}' does not exist`)}`, { cause: err });
  }
}

/**
 * Reads a safetensors file (Node only) into tensors on `device`, in the order the file lists them.
 * Use {@link loadWithMetadata} for the header's `__metadata__`. See `deserialize` for the dtypes
 * accepted from PyTorch.
 * @example
 * const state = await flint.load('model.safetensors');
 * model.loadStateDict(state);
 * for (const t of state.values()) t.dispose(); // loadStateDict copied them
 */
export async function load(path: string, options: DeserializeOptions = {}): Promise<Map<string, Tensor>> {
  return (await readCheckpoint('load()', path, options)).tensors;
}

/**
 * {@link load}, also returning the header's `__metadata__` strings.
 * @example const { tensors, metadata } = await flint.loadWithMetadata('model.safetensors');
 */
export function loadWithMetadata(path: string, options: DeserializeOptions = {}): Promise<Checkpoint> {
  return readCheckpoint('loadWithMetadata()', path, options);
}

async function readCheckpoint(op: string, path: string, options: DeserializeOptions): Promise<Checkpoint> {
  const { fs } = await nodeModules(op);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    throw new Error(`${op}: could not read '${path}': ${reason(err, 'no such file')}`, { cause: err });
  }
  return decodeState(`${op}: safetensors file '${path}'`, bytes, options);
}
