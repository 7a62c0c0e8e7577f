/**
 * The DCGAN of pytorch/examples, sized for 28x28 MNIST: the generator upsamples a noise vector
 * 1 -> 7 -> 14 -> 28 with transposed convolutions, the discriminator mirrors it with strided
 * convolutions down to one probability per image.
 */
import * as flint from '@flint/core';

const { nn } = flint;

/** Channel counts: noise length, generator and discriminator feature maps, image channels. */
export interface GanSizes {
  nz: number;
  ngf: number;
  ndf: number;
  nc: number;
}

/** The original's defaults, with one image channel for MNIST. */
export const DEFAULT_SIZES: GanSizes = { nz: 100, ngf: 64, ndf: 64, nc: 1 };

/** Noise [N, nz, 1, 1] to images [N, nc, 28, 28] in (-1, 1). */
export class Generator extends nn.Module {
  main: flint.nn.Sequential;

  constructor({ nz, ngf, nc }: GanSizes) {
    super();
    this.main = new nn.Sequential(
      new nn.ConvTranspose2d(nz, ngf * 2, 7, { stride: 1, padding: 0, bias: false }),
      new nn.BatchNorm2d(ngf * 2),
      new nn.ReLU(),
      new nn.ConvTranspose2d(ngf * 2, ngf, 4, { stride: 2, padding: 1, bias: false }),
      new nn.BatchNorm2d(ngf),
      new nn.ReLU(),
      new nn.ConvTranspose2d(ngf, nc, 4, { stride: 2, padding: 1, bias: false }),
      new nn.Tanh(),
    );
  }

  forward(noise: flint.Tensor): flint.Tensor {
    return this.main.forward(noise);
  }
}

/** Images [N, nc, 28, 28] to the probability [N] that each is real. */
export class Discriminator extends nn.Module {
  main: flint.nn.Sequential;

  constructor({ ndf, nc }: GanSizes) {
    super();
    this.main = new nn.Sequential(
      new nn.Conv2d(nc, ndf, 4, { stride: 2, padding: 1, bias: false }),
      new nn.LeakyReLU(0.2),
      new nn.Conv2d(ndf, ndf * 2, 4, { stride: 2, padding: 1, bias: false }),
      new nn.BatchNorm2d(ndf * 2),
      new nn.LeakyReLU(0.2),
      new nn.Conv2d(ndf * 2, 1, 7, { stride: 1, padding: 0, bias: false }),
      new nn.Sigmoid(),
    );
  }

  forward(images: flint.Tensor): flint.Tensor {
    return this.main.forward(images).view(-1);
  }
}

/**
 * The original's `weights_init`, for `module.apply`: convolution weights from N(0, 0.02), batch
 * norm scales from N(1, 0.02) and shifts zero, as the DCGAN paper prescribes.
 * @example netG.apply(weightsInit);
 */
export function weightsInit(module: flint.nn.Module): void {
  if (module instanceof nn.Conv2d || module instanceof nn.ConvTranspose2d) {
    nn.init.normal_(module.weight, 0, 0.02);
  } else if (module instanceof nn.BatchNorm2d) {
    nn.init.normal_(module.weight!, 1, 0.02);
    nn.init.zeros_(module.bias!);
  }
}
