import { philox4x32 } from './philox.ts';

/** PyTorch's default seed, so an unseeded program is still reproducible. */
const DEFAULT_SEED = 67280421310721;

/**
 * A seeded stream of random numbers: Philox blocks keyed by the seed, at a running counter.
 * @example const g = new flint.Generator().manualSeed(0); flint.rand([3], { generator: g });
 */
export class Generator {
  private key0 = 0;
  private key1 = 0;
  /** Blocks of 4 words consumed so far. */
  private offset = 0;
  private seedValue = DEFAULT_SEED;

  constructor(seed: number = DEFAULT_SEED) {
    this.#seed('Generator', seed);
  }

  /** Restarts the stream from `seed` (a non-negative integer below 2^53). */
  manualSeed(seed: number): this {
    return this.#seed('manualSeed', seed);
  }

  #seed(op: string, seed: number): this {
    if (typeof seed !== 'number') throw new TypeError(`${op}(): seed must be a non-negative safe integer, got ${typeof seed === 'string' ? `'${seed}'` : typeof seed}`);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`${op}(): seed must be a non-negative safe integer, got ${seed}`);
    this.seedValue = seed;
    this.key0 = seed >>> 0;
    this.key1 = Math.floor(seed / 2 ** 32) >>> 0;
    this.offset = 0;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** The position in the stream, to save and restore with {@link setState}. */
  getState(): { seed: number; offset: number } {
    return { seed: this.seedValue, offset: this.offset };
  }

  setState(state: { seed: number; offset: number }): this {
    this.manualSeed(state.seed);
    this.offset = state.offset;
    return this;
  }

  /** `n` uniformly random uint32 words. */
  uint32(n: number): Uint32Array {
    const blocks = Math.ceil(n / 4);
    const out = new Uint32Array(blocks * 4);
    for (let b = 0; b < blocks; b++) {
      const counter = this.offset + b;
      philox4x32(counter >>> 0, Math.floor(counter / 2 ** 32) >>> 0, 0, 0, this.key0, this.key1, out, b * 4);
    }
    this.offset += blocks;
    return n === out.length ? out : out.subarray(0, n);
  }

  /** `n` floats uniform in [0, 1), from the low 24 bits of each word (exact in float32). */
  uniform(n: number): Float32Array {
    const words = this.uint32(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (words[i]! & 0xffffff) * 2 ** -24;
    return out;
  }

  /** `n` standard normal floats by the Box-Muller transform over pairs of uniforms. */
  normal(n: number): Float32Array {
    const u = this.uniform(n + (n % 2));
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u[i]!));
      const theta = 2 * Math.PI * u[i + 1]!;
      out[i] = r * Math.cos(theta);
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
    }
    return out;
  }
}

/** The generator ops use when none is passed. */
export const defaultGenerator = new Generator();

/** Seeds the default generator, like torch.manual_seed. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
