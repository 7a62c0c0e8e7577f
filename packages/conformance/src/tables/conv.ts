/**
 * How the ops of fixtures/conv.json (the convolutions beyond conv2d) and the convolution and
 * resampling modules of fixtures/nn.json run in flint.
 */
import * as flint from '@flint/core';
import type { Args, OpFn } from './ops.ts';
import { layer } from './nn.ts';

const F = flint.nn.functional;
type Options = Record<string, unknown>;
const { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d } = flint.nn;
/** A convolution module built from the fixture's torch constructor arguments. */
const convModule = (Kind: typeof Conv1d | typeof Conv2d | typeof Conv3d | typeof ConvTranspose1d | typeof ConvTranspose2d): OpFn =>
  layer((a: Args) => {
    const { inChannels, outChannels, kernel, ...options } = a;
    return new Kind(inChannels as number, outChannels as number, kernel as number[], options as Options);
  });

export const convTable: Record<string, OpFn> = {
  conv2dWith: ([x, w, b], a) => F.conv2d(x!, w!, b ?? null, a as Options),
  conv1d: ([x, w, b], a) => F.conv1d(x!, w!, b ?? null, a as Options),
  convTranspose2d: ([x, w, b], a) => F.convTranspose2d(x!, w!, b ?? null, a as Options),
  convTranspose2dT: ([x, w], a: Args) => F.convTranspose2d(x!.mT, w!, null, a as Options),
  convTranspose1d: ([x, w, b], a) => F.convTranspose1d(x!, w!, b ?? null, a as Options),
  conv3d: ([x, w, b], a) => F.conv3d(x!, w!, b ?? null, a as Options),
  Conv3dModule: convModule(Conv3d),
  Upsample: layer((a) => new flint.nn.Upsample(a as flint.nn.UpsampleOptions)),
  PixelShuffle: layer((a) => new flint.nn.PixelShuffle(a.factor as number)),
  PixelUnshuffle: layer((a) => new flint.nn.PixelUnshuffle(a.factor as number)),
  Unfold: layer((a) => new flint.nn.Unfold(a.kernel as number, a.options as Options)),
  Fold: layer((a) => new flint.nn.Fold(a.outputSize as [number, number], a.kernel as number, a.options as Options)),
  Conv2dModule: convModule(Conv2d),
  Conv1dModule: convModule(Conv1d),
  ConvTranspose2dModule: convModule(ConvTranspose2d),
  ConvTranspose1dModule: convModule(ConvTranspose1d),
};
