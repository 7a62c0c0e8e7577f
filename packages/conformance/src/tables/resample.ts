/** How each op of fixtures/resample.json runs in flint: inputs (already on the device) and the fixture's args. */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';

const F = flint.nn.functional;
/** The input as the case means it: broadcast along dim 0 and/or with its last two dims swapped, when it says so. */
function pre(x: flint.Tensor, a: Args): flint.Tensor {
  const wide = a.broadcast ? x.expand([a.broadcast as number, ...x.shape.slice(1)]) : x;
  return a.transposed ? wide.transpose(-2, -1) : wide;
}
type PairArg = number | [number, number];
const pairOf = (v: unknown): PairArg | undefined => (v ?? undefined) as PairArg | undefined;
const foldOptions = (a: Args): flint.nn.functional.FoldOptions => ({ stride: pairOf(a.stride), padding: pairOf(a.padding), dilation: pairOf(a.dilation) });

const ops: Record<string, OpFn> = {
  pad: ([x], a) => F.pad(pre(x!, a), a.pad as number[], a.mode as flint.nn.functional.PadMode, (a.value ?? undefined) as number | undefined),
  interpolate: ([x], a) =>
    F.interpolate(pre(x!, a), {
      size: (a.size ?? undefined) as number | number[] | undefined,
      scaleFactor: (a.scaleFactor ?? undefined) as number | number[] | undefined,
      mode: a.mode as flint.nn.functional.InterpolateMode,
      alignCorners: a.alignCorners as boolean | null,
      recomputeScaleFactor: a.recomputeScaleFactor as boolean | null,
    }),
  pixelShuffle: ([x], a) => flint.pixelShuffle(pre(x!, a), a.r as number),
  pixelUnshuffle: ([x], a) => flint.pixelUnshuffle(pre(x!, a), a.r as number),
  unfold: ([x], a) => F.unfold(pre(x!, a), a.kernelSize as PairArg, foldOptions(a)),
  fold: ([x], a) => F.fold(pre(x!, a), a.outputSize as PairArg, a.kernelSize as PairArg, foldOptions(a)),
  foldUnfold: ([x], a) => {
    const cols = F.unfold(x!, a.kernelSize as PairArg, foldOptions(a));
    return F.fold(cols, [x!.shape[2]!, x!.shape[3]!], a.kernelSize as PairArg, foldOptions(a));
  },
  affineGrid: ([theta], a) => F.affineGrid(theta!, a.size as number[], a.alignCorners as boolean),
  gridSample: ([x, grid], a) => {
    const { broadcast: _b, transposed: _t, ...options } = a;
    return F.gridSample(pre(x!, a), grid!, options as flint.nn.functional.GridSampleOptions);
  },
  gridSampleBroadcastGrid: ([x, grid]) => F.gridSample(x!, grid!.expand([2, 3, 4, 2])),
  gridOfAffine: ([x, theta], a) => F.gridSample(x!, F.affineGrid(theta!, [2, 3, 3, 4], a.alignCorners as boolean), { alignCorners: a.alignCorners as boolean }),
};

export const resampleTable: Record<string, OpFn> = ops;
