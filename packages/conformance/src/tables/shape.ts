/** How each op of fixtures/shape.json runs in flint: inputs (already on the device) and the fixture's args. */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

/** The input as the case means it: transposed first (a non-contiguous view) when it says so. */
const pre = (x: flint.Tensor, a: Args): flint.Tensor => (a.transposed ? x.mT : x);
const n = (a: Args, key: string): number => a[key] as number;
const value = (v: unknown): number => (v === '-inf' ? -Infinity : v === 'inf' ? Infinity : (v as number));
const weights = (k: number, rank: number): flint.Tensor => flint.arange(1, k + 1, 1, { dtype: 'float32' }).reshape([k, ...new Array<number>(rank).fill(1)]);

export const shapeTable: Record<string, OpFn> = {
  tril: ([x], a) => pre(x!, a).tril(n(a, 'diagonal')),
  triu: ([x], a) => pre(x!, a).triu(n(a, 'diagonal')),
  diagonal: ([x], a) => pre(x!, a).diagonal(n(a, 'offset'), n(a, 'dim1'), n(a, 'dim2')),
  diag: ([x], a) => pre(x!, a).diag(n(a, 'diagonal')),
  diagEmbed: ([x], a) => flint.diagEmbed(pre(x!, a), n(a, 'offset'), n(a, 'dim1'), n(a, 'dim2')),
  trace: ([x], a) => pre(x!, a).trace(),
  repeat: ([x], a) => pre(x!, a).repeat(a.sizes as number[]),
  tile: ([x], a) => flint.tile(pre(x!, a), a.dims as number[]),
  repeatInterleave: ([x], a) => pre(x!, a).repeatInterleave(a.repeats as number | number[], a.dim as number | undefined),
  flip: ([x], a) => pre(x!, a).flip(a.dims as number[]),
  fliplr: ([x], a) => pre(x!, a).fliplr(),
  flipud: ([x], a) => pre(x!, a).flipud(),
  roll: ([x], a) => pre(x!, a).roll(a.shifts as number | number[], (a.dims ?? undefined) as number | number[] | undefined),
  rot90: ([x], a) => pre(x!, a).rot90(n(a, 'k'), a.dims as [number, number]),
  movedim: ([x], a) => pre(x!, a).movedim(a.source as number | number[], a.destination as number | number[]),
  unflatten: ([x], a) => pre(x!, a).unflatten(n(a, 'dim'), a.sizes as number[]),
  unbindStack: ([x], a) => flint.stack(pre(x!, a).unbind(n(a, 'dim')), 0).mul(weights(3, 2)),
  meshgrid: (xs, a) => flint.stack(flint.meshgrid(xs, { indexing: a.indexing as 'ij' | 'xy' }), 0).mul(weights(3, 3)),
  outer: ([x, y]) => x!.outer(y!),
  kron: ([x, y]) => flint.kron(x!, y!),
  cross: ([x, y], a) => x!.cross(y!, a.dim as number | undefined),
  diff: ([x], a) => pre(x!, a).diff(),
  diffPad: ([x, p, q], a) => x!.diff({ n: n(a, 'n'), dim: n(a, 'dim'), prepend: p!, append: q! }),
  cumprod: ([x], a) => pre(x!, a).cumprod(n(a, 'dim')),
  logcumsumexp: ([x], a) => pre(x!, a).logcumsumexp(n(a, 'dim')),
  cummaxValues: ([x], a) => pre(x!, a).cummax(n(a, 'dim')).values,
  cummaxIndices: ([x], a) => pre(x!, a).cummax(n(a, 'dim')).indices,
  cumminValues: ([x], a) => pre(x!, a).cummin(n(a, 'dim')).values,
  cumminIndices: ([x], a) => pre(x!, a).cummin(n(a, 'dim')).indices,
  maskedFill: ([x, m], a) => pre(x!, a).maskedFill(m!, value(a.value)),
  maskedFillSoftmax: ([x, m], a) => x!.maskedFill(m!, value(a.value)).softmax(-1),
  maskedFillTensor: ([x, m, v]) => x!.maskedFill(m!, v!),
  // minGPT's CausalSelfAttention, line for line.
  minGPTAttention: ([q, k, v]) => {
    const T = q!.shape.at(-2)!;
    const bias = flint.tril(flint.ones([6, 6])).view(1, 1, 6, 6);
    let att = q!.matmul(k!.transpose(-2, -1)).mul(1.0 / Math.sqrt(k!.shape.at(-1)!));
    att = att.maskedFill(bias.index(':', ':', [null, T], [null, T]).eq(0), -Infinity);
    att = flint.softmax(att, -1);
    return att.matmul(v!);
  },
  einsum: (xs, a) => flint.einsum(a.equation as string, ...xs),
  tensordot: ([x, y], a) => flint.tensordot(x!, y!, a.dims as number | [number[], number[]]),
  take: ([x, i], a) => pre(x!, a).take(i!),
  takeAlongDim: ([x, i], a) => pre(x!, a).takeAlongDim(i!, a.dim as number | undefined),
};
