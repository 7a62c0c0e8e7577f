/** How each op of fixtures/index.json runs in flint. A `spec` entry `{ t: k }` is input k. */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

type Entry = { t: number } | ":" | "..." | null | number | [number | null, number | null, (number | null)?];
const spec = (xs: flint.Tensor[], a: Args): flint.AdvancedIndexSpec[] =>
  (a.spec as Entry[]).map((e) => (e !== null && typeof e === 'object' && !Array.isArray(e) ? xs[e.t]! : (e as flint.AdvancedIndexSpec)));
const valueOf = (xs: flint.Tensor[], v: unknown): flint.Tensor | number => (typeof v === 'number' ? v : xs[(v as { t: number }).t]!);

export const indexTable: Record<string, OpFn> = {
  index: (xs, a) => xs[0]!.index(...spec(xs, a)),
  setIndex: (xs, a) => xs[0]!.clone().setIndex(spec(xs, a), valueOf(xs, a.value)),
  indexPutAccumulate: ([x, i, v]) => x!.clone().indexPut_([i!], v!, { accumulate: true }),
  indexPut2: ([x, i, j, v]) => x!.clone().indexPut_([i!, j!], v!),
  indexAdd: ([x, i, s], a) => x!.indexAdd(a.dim as number, i!, s!, { alpha: a.alpha as number }),
  indexCopy: ([x, i, s], a) => x!.indexCopy(a.dim as number, i!, s!),
  indexFill: ([x, i], a) => x!.indexFill(a.dim as number, i!, a.value as number),
  scatter: ([x, i, s], a) => x!.scatter(a.dim as number, i!, s!),
  scatterValue: ([x, i], a) => x!.scatter(a.dim as number, i!, a.value as number),
  scatterAddReduce: ([x, i, s], a) => x!.scatter(a.dim as number, i!, s!, { reduce: 'add' }),
  scatterMultiplyReduce: ([x, i, s], a) => x!.scatter(a.dim as number, i!, s!, { reduce: 'multiply' }),
  maskedSelect: ([x, m]) => x!.maskedSelect(m!),
  maskedScatter: ([x, m, s]) => x!.maskedScatter(m!, s!),
  nonzero: ([x]) => x!.nonzero() as flint.Tensor,
  argwhere: ([x]) => x!.argwhere(),
};
