/** How each op of fixtures/sort.json runs in flint: inputs (already on the device) and the fixture's args. */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

const pre = (x: flint.Tensor, a: Args): flint.Tensor => (a.transposed ? x.mT : x);
const sortOf = (x: flint.Tensor, a: Args) => flint.sort(pre(x, a), { dim: a.dim as number, descending: a.descending as boolean, stable: true });
const topkOf = ([x]: flint.Tensor[], a: Args) => x!.topk(a.k as number, { dim: a.dim as number | undefined, largest: a.largest as boolean | undefined });
const kthOf = ([x]: flint.Tensor[], a: Args) => x!.kthvalue(a.k as number, a.dim as number, a.keepdim as boolean);
const modeOf = ([x]: flint.Tensor[], a: Args) => pre(x!, a).mode(a.dim as number, a.keepdim as boolean);
const parts = ['values', 'inverse', 'counts'];
/** The part of unique's result the fixture checks, the others disposed. */
const uniquePart = (all: flint.Tensor[], a: Args): flint.Tensor => {
  const wanted = all[parts.indexOf(a.part as string)]!;
  for (const t of all) if (t !== wanted) t.dispose();
  return wanted;
};
const uniqueOptions = (a: Args) => ({ dim: a.dim as number | undefined, returnInverse: true, returnCounts: true }) as const;
const medianOf = ([x]: flint.Tensor[], a: Args) => x!.median(a.dim as number, a.keepdim as boolean);

export const sortTable: Record<string, OpFn> = {
  sortValues: ([x], a) => sortOf(x!, a).values,
  sortIndices: ([x], a) => sortOf(x!, a).indices,
  argsort: ([x], a) => x!.argsort({ dim: a.dim as number, descending: a.descending as boolean }),
  msort: ([x]) => x!.msort(),
  topkValues: (xs, a) => topkOf(xs, a).values,
  topkIndices: (xs, a) => topkOf(xs, a).indices,
  kthvalueValues: (xs, a) => kthOf(xs, a).values,
  kthvalueIndices: (xs, a) => kthOf(xs, a).indices,
  medianValues: (xs, a) => medianOf(xs, a).values,
  medianIndices: (xs, a) => medianOf(xs, a).indices,
  medianAll: ([x]) => x!.median(),
  modeValues: (xs, a) => modeOf(xs, a).values,
  modeIndices: (xs, a) => modeOf(xs, a).indices,
  unique: ([x], a) => uniquePart(flint.unique(pre(x!, a), uniqueOptions(a)), a),
  uniqueConsecutive: ([x], a) => uniquePart(flint.uniqueConsecutive(pre(x!, a), uniqueOptions(a)), a),
  searchsorted: ([s, v], a) => flint.searchsorted(s!, v!, { right: a.right as boolean }),
  bucketize: ([v, s], a) => flint.bucketize(v!, s!, { right: a.right as boolean }),
};
