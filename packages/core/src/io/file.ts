/** Checkpoint files on Node; in the browser, `serialize`/`deserialize` work on bytes instead. */
import { DESERIALIZE_OPTIONS, SERIALIZE_OPTIONS, decodeState, encodeState, type Checkpoint, type DeserializeOptions, type SerializeOptions, type StateDict } from './safetensors.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { importNodeBuiltin } from '../backend/host-import.ts';
import { checkOptions } from '../options/check-options.ts';

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

/** Node's `fs/promises` and `path`, imported on first use (and never by a browser bundle). */
async function nodeModules(op: string): Promise<{ fs: NodeFs; path: NodePath }> {
  try {
    const [fs, path] = await Promise.all([importNodeBuiltin<NodeFs>('node:fs/promises'), importNodeBuiltin<NodePath>('node:path')]);
    return { fs, path };
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
 * The temporary file of a save in progress is `.<target>.flint-save-<pid>-<random>.tmp`, next to the
 * target: hidden, and named for the checkpoint it will become and the process writing it.
 */
function tempPrefix(target: string): string {
  return `.${target}.flint-save-`;
}

/** Temporary files this process is writing now (a live process's own files are never stale). */
const savesInFlight = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    globalThis.process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that earlier saves of the same target left when their process was
 * killed mid-write: those of processes that no longer run, and this process's own that no save is
 * writing. Files of other targets and of saves still running elsewhere are left alone.
 */
async function removeStaleTemps(fs: NodeFs, dir: string, target: string, join: NodePath['join']): Promise<void> {
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return; // the write below reports a missing directory in the caller's terms
  }
  const stale = names.filter((name) => {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp') || savesInFlight.has(join(dir, name))) return false;
    const pid = Number(name.slice(prefix.length, name.indexOf('-', prefix.length)));
    return Number.isInteger(pid) && pid > 0 && (pid === globalThis.process.pid || !processAlive(pid));
  });
  await Promise.all(stale.map((name) => fs.rm(join(dir, name), { force: true })));
}

/**
 * Writes named tensors to a safetensors file (Node only), atomically: the bytes go to a temporary
 * file in the same directory (`.model.safetensors.flint-save-<pid>-<random>.tmp`), which then
 * replaces `path` in one rename, so a crash or a failed write never leaves a partial checkpoint
 * behind. A process killed mid-save leaves its temporary file; the next save of the same target
 * removes it. The file loads in PyTorch with `safetensors.torch.load_file`.
 * @example await flint.save(model.stateDict(), 'model.safetensors', { metadata: { epoch: '3' } });
 */
export async function save(state: StateDict, path: string, options: SerializeOptions = {}): Promise<void> {
  checkOptions('save', options, SERIALIZE_OPTIONS);
  const bytes = await encodeState('save()', state, options);
  const { fs, path: { basename, dirname, join } } = await nodeModules('save()');
  const dir = dirname(path);
  await removeStaleTemps(fs, dir, basename(path), join);
  // Same directory: a rename is only atomic within one file system.
  const temp = join(dir, `${tempPrefix(basename(path))}${globalThis.process.pid}-${globalThis.crypto.randomUUID().slice(0, 8)}.tmp`);
  savesInFlight.add(temp);
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
  } finally {
    savesInFlight.delete(temp);
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
  return (await readCheckpoint('load', path, options)).tensors;
}

/**
 * {@link load}, also returning the header's `__metadata__` strings.
 * @example const { tensors, metadata } = await flint.loadWithMetadata('model.safetensors');
 */
export function loadWithMetadata(path: string, options: DeserializeOptions = {}): Promise<Checkpoint> {
  return readCheckpoint('loadWithMetadata', path, options);
}

async function readCheckpoint(op: string, path: string, options: DeserializeOptions): Promise<Checkpoint> {
  checkOptions(op, options, DESERIALIZE_OPTIONS);
  const { fs } = await nodeModules(`${op}()`);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (err) {
    throw new Error(`${op}(): could not read '${path}': ${reason(err, 'no such file')}`, { cause: err });
  }
  return decodeState(`${op}(): safetensors file '${path}'`, bytes, options);
}
