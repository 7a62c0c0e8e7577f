/**
 * Text as character ids, as nanoGPT's shakespeare_char prepare.py makes them: a vocabulary of the
 * sorted distinct characters, each mapped to its index, and the 90/10 train/validation split.
 */

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
