/** The two networks, their optimizers and the loss, and one adversarial training step as the original takes it. */
import * as flint from '@flint/core';
import { Discriminator, Generator, weightsInit, type GanSizes } from './models.ts';

const REAL_LABEL = 1;
const FAKE_LABEL = 0;

export interface Gan {
  sizes: GanSizes;
  netG: Generator;
  netD: Discriminator;
  optimizerG: flint.optim.Adam;
  optimizerD: flint.optim.Adam;
  criterion: flint.nn.BCELoss;
}

/** Adam's settings for both networks; the original's are lr 2e-4, beta1 0.5. */
export interface GanOptions {
  lr: number;
  beta1: number;
}

/**
 * Both networks initialised by {@link weightsInit} from the default generator (seed it with
 * `flint.manualSeed` first), each with its own Adam.
 */
export function createGan(sizes: GanSizes, { lr, beta1 }: GanOptions): Gan {
  const netG = flint.tidy(() => new Generator(sizes).apply(weightsInit));
  const netD = flint.tidy(() => new Discriminator(sizes).apply(weightsInit));
  const adam = (m: flint.nn.Module): flint.optim.Adam => new flint.optim.Adam(m.parameters(), { lr, betas: [beta1, 0.999] });
  return { sizes, netG, netD, optimizerG: adam(netG), optimizerD: adam(netD), criterion: new flint.nn.BCELoss() };
}

export function disposeGan(gan: Gan): void {
  for (const part of [gan.netG, gan.netD, gan.optimizerG, gan.optimizerD]) part.dispose();
}

/** What the original prints per step: both losses, D's mean output on real images, and on fakes before and after D's update. */
export interface StepStats {
  errD: number;
  errG: number;
  dX: number;
  dGz1: number;
  dGz2: number;
}

/**
 * One step: update D to tell `real` from G(noise) (maximise log D(x) + log(1 - D(G(z)))), then G
 * to fool the updated D (maximise log D(G(z)), the non-saturating loss). `noise` [N, nz, 1, 1]
 * is drawn from the default generator when omitted; passing it makes a step reproducible
 * against another implementation.
 */
export async function trainStep(gan: Gan, real: flint.Tensor, noise?: flint.Tensor): Promise<StepStats> {
  const { netG, netD, optimizerG, optimizerD, criterion } = gan;
  const batchSize = real.shape[0]!;
  const stats = flint.tidy(() => {
    const z = noise ?? flint.randn([batchSize, gan.sizes.nz, 1, 1], { device: real.device });
    const realLabel = flint.full([batchSize], REAL_LABEL, { device: real.device });
    const fakeLabel = flint.full([batchSize], FAKE_LABEL, { device: real.device });

    netD.zeroGrad();
    const outReal = netD.forward(real);
    const errDReal = criterion.forward(outReal, realLabel);
    errDReal.backward();
    const fake = netG.forward(z);
    const outFake = netD.forward(fake.detach());
    const errDFake = criterion.forward(outFake, fakeLabel);
    errDFake.backward();
    optimizerD.step();

    netG.zeroGrad();
    const outG = netD.forward(fake);
    const errG = criterion.forward(outG, realLabel);
    errG.backward();
    optimizerG.step();

    return flint.stack([errDReal.add(errDFake), errG, outReal.mean(), outFake.mean(), outG.mean()]).detach();
  });
  const [errD, errG, dX, dGz1, dGz2] = await stats.data();
  stats.dispose();
  return { errD: errD!, errG: errG!, dX: dX!, dGz1: dGz1!, dGz2: dGz2! };
}
