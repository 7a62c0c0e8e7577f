/**
 * unique and uniqueConsecutive. How many values come out depends on the values, so they are read
 * on the host (synchronously where the backend can, else through the `Async` forms) and the
 * results uploaded; like PyTorch's, these ops have no gradient.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim } from '../tensor/shape.ts';
import { tensor } from './creation.ts';
import { contiguous } from './view.ts';
import { movedim } from './shape.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface UniqueOptions {
  /**
   * Accepted for PyTorch's signature: flint always returns the unique values sorted (PyTorch's
   * unsorted order is unspecified).
   */
  sorted?: boolean;
  /** Also return, for each input element (or slice), the index of its value in the output (int32). */
  returnInverse?: boolean;
  /** Also return how often each output value occurs (int32). */
  returnCounts?: boolean;
  /** Unique slices along this dim instead of unique elements of the flattened input. */
  dim?: number;
}

const UNIQUE_CONSECUTIVE_OPTIONS: OptionKeys<Omit<UniqueOptions, 'sorted'>> = { returnInverse: true, returnCounts: true, dim: true };
const UNIQUE_OPTIONS: OptionKeys<UniqueOptions> = { ...UNIQUE_CONSECUTIVE_OPTIONS, sorted: true };

/** `options` (none given: `{}`) once their keys are checked for `op`, before anything else is. */
function checked(op: string, options: UniqueOptions | undefined, consecutive: boolean): UniqueOptions {
  checkOptions(op, options, consecutive ? UNIQUE_CONSECUTIVE_OPTIONS : UNIQUE_OPTIONS);
  return options ?? {};
}

/** What {@link unique} returns for options `O`: the values alone, or with the inverse and counts asked for. */
export type UniqueResult<O extends UniqueOptions> = O extends { returnInverse: true; returnCounts: true }
  ? [Tensor, Tensor, Tensor]
  : O extends { returnInverse: true } | { returnCounts: true }
    ? [Tensor, Tensor]
    : Tensor;

/** The dim to find unique slices along (validated), and `x` with that dim first. */
function alongDim(op: string, x: Tensor, options: UniqueOptions): { d: number | undefined; source: Tensor } {
  x.assertAlive(op);
  if (options.dim === undefined) return { d: undefined, source: x };
  if (x.ndim === 0) throw new RangeError(`${op}(): dim ${options.dim} is out of range for a 0-d tensor`);
  const d = normalizeDim(op, options.dim, x.ndim);
  return { d, source: movedim(x, d, 0) };
}

/** The slices of `source` along its dim 0 (or, for `d` undefined, its elements) as lists of numbers. */
function rowsOf(source: Tensor, values: ArrayLike<number>, d: number | undefined): number[][] {
  if (d === undefined) return Array.from(values, (v) => [v]);
  const count = source.shape[0]!;
  const width = count === 0 ? 0 : values.length / count;
  return Array.from({ length: count }, (_, r) => Array.from({ length: width }, (_, j) => values[r * width + j]!));
}

/** Ascending, all NaNs equal and after every number, -0 equal to 0. */
function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(a: readonly number[], b: readonly number[]): number {
  for (let j = 0; j < a.length; j++) {
    const c = compareNumbers(a[j]!, b[j]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Groups of equal rows in `order`: the first row of each group, each row's group, the group sizes. */
function group(rows: readonly number[][], order: readonly number[]): { firsts: number[]; inverse: Int32Array; counts: number[] } {
  const firsts: number[] = [];
  const counts: number[] = [];
  const inverse = new Int32Array(rows.length);
  for (const r of order) {
    if (firsts.length === 0 || compareRows(rows[firsts.at(-1)!]!, rows[r]!) !== 0) {
      firsts.push(r);
      counts.push(0);
    }
    inverse[r] = firsts.length - 1;
    counts[counts.length - 1]!++;
  }
  return { firsts, inverse, counts };
}

function results(x: Tensor, d: number | undefined, source: Tensor, values: ArrayLike<number>, options: UniqueOptions, consecutive: boolean): Tensor | Tensor[] {
  const rows = rowsOf(source, values, d);
  const order = rows.map((_, i) => i);
  if (!consecutive) order.sort((a, b) => compareRows(rows[a]!, rows[b]!) || a - b);
  const { firsts, inverse, counts } = group(rows, order);
  const device = x.device;
  const out = tidy(() => {
    const stacked = tensor(firsts.flatMap((r) => rows[r]!), { dtype: x.dtype, device });
    if (d === undefined) return stacked;
    return contiguous(movedim(stacked.reshape([firsts.length, ...source.shape.slice(1)]), 0, d));
  });
  if (source !== x) source.dispose();
  if (!options.returnInverse && !options.returnCounts) return out;
  const extra = tidy(() => [
    ...(options.returnInverse ? [tensor(inverse, { dtype: 'int32', device }).reshape(d === undefined ? x.shape : [x.shape[d]!])] : []),
    ...(options.returnCounts ? [tensor(Int32Array.from(counts), { dtype: 'int32', device })] : []),
  ]);
  return [out, ...extra];
}

function computeSync(op: string, x: Tensor, options: UniqueOptions, consecutive: boolean): Tensor | Tensor[] {
  checkTensors(op, [x]);
  x.assertAlive(op);
  if (!x.backend.readSync) {
    throw new Error(`${op}(): its result's size depends on the values, which the ${x.device} backend cannot read synchronously; use \`await flint.${op}Async(...)\``);
  }
  const { d, source } = alongDim(op, x, options);
  return results(x, d, source, source.dataSync(), options, consecutive);
}

async function computeAsync(op: string, x: Tensor, options: UniqueOptions, consecutive: boolean): Promise<Tensor | Tensor[]> {
  checkTensors(op, [x]);
  const { d, source } = alongDim(op, x, options);
  return results(x, d, source, await source.data(), options, consecutive);
}

/**
 * The unique elements of `x`, sorted (or with `dim`, its unique slices along `dim`); with
 * `returnInverse` and `returnCounts` also each element's index in the result and each value's count,
 * in PyTorch's order `[values, inverse, counts]`. NaNs count as one value, after every number.
 * @example flint.unique(flint.tensor([3, 1, 3]), { returnCounts: true }) // [[1, 3], [1, 2]]
 */
export function unique<O extends UniqueOptions = {}>(x: Tensor, options?: O): UniqueResult<O> {
  checkTensors('unique', [x]);
  return computeSync('unique', x, checked('unique', options, false), false) as UniqueResult<O>;
}

/** {@link unique}, reading the values asynchronously (every backend). */
export async function uniqueAsync<O extends UniqueOptions = {}>(x: Tensor, options?: O): Promise<UniqueResult<O>> {
  return (await computeAsync('uniqueAsync', x, checked('uniqueAsync', options, false), false)) as UniqueResult<O>;
}

/**
 * `x` with each run of equal consecutive elements (or slices along `dim`) reduced to one, as
 * PyTorch's unique_consecutive; the options as for {@link unique} (`sorted` aside).
 */
export function uniqueConsecutive<O extends Omit<UniqueOptions, 'sorted'> = {}>(x: Tensor, options?: O): UniqueResult<O> {
  return computeSync('uniqueConsecutive', x, checked('uniqueConsecutive', options, true), true) as UniqueResult<O>;
}

/** {@link uniqueConsecutive}, reading the values asynchronously (every backend). */
export async function uniqueConsecutiveAsync<O extends Omit<UniqueOptions, 'sorted'> = {}>(x: Tensor, options?: O): Promise<UniqueResult<O>> {
  return (await computeAsync('uniqueConsecutiveAsync', x, checked('uniqueConsecutiveAsync', options, true), true)) as UniqueResult<O>;
}
