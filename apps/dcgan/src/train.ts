/**
 * pytorch/examples' DCGAN on MNIST with flint: every epoch a progress bar with the losses, the
 * epoch's mean losses, a PNG grid of digits generated from fixed noise, and checkpoints of both
 * networks.
 *
 *   pnpm dcgan                                   # 1 epoch, the original's sizes and optimiser settings
 *   pnpm dcgan -- --epochs 5 --outf out
 *   pnpm dcgan -- --net-g out/netG_epoch_1.safetensors --net-d out/netD_epoch_1.safetensors
 *   pnpm dcgan -- --backend webgpu               # on the GPU (in Node through the webgpu package's Dawn)
 *   pnpm dcgan -- --dry-run                      # one batch, to check the setup
 */
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { loadMnistImages } from './mnist.ts';
import { DEFAULT_SIZES } from './models.ts';
import { createGan, disposeGan, trainStep, type StepStats } from './gan.ts';
import { saveGrid } from './grid.ts';
import { loadWeights, saveWeights } from './checkpoint.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm dcgan -- --epochs 3`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '64' },
    nz: { type: 'string', default: String(DEFAULT_SIZES.nz) },
    ngf: { type: 'string', default: String(DEFAULT_SIZES.ngf) },
    ndf: { type: 'string', default: String(DEFAULT_SIZES.ndf) },
    lr: { type: 'string', default: '0.0002' },
    beta1: { type: 'string', default: '0.5' },
    'net-g': { type: 'string' },
    'net-d': { type: 'string' },
    outf: { type: 'string', default: 'out' },
    'train-limit': { type: 'string', default: '60000' },
    seed: { type: 'string', default: '999' },
    'dry-run': { type: 'boolean', default: false },
  },
});

const integer = (name: string, min: number): number => {
  const v = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`--${name} must be an integer >= ${min}, got ${args[name as keyof typeof args]}`);
  return v;
};
const epochs = integer('epochs', 1);
const batchSize = integer('batch-size', 1);
const sizes = { nz: integer('nz', 1), ngf: integer('ngf', 1), ndf: integer('ndf', 1), nc: 1 };

// Without --backend, FLINT_BACKEND or the fastest registered backend that starts (wasm-simd).
if (args.backend) await flint.setBackend(args.backend);
else await flint.init();
// The data set lives on the host backend; batches move to the one that trains.
await flint.startBackend('cpu');
const device = flint.getBackendName()!;
flint.manualSeed(Number(args.seed));
const data = loadMnistImages(integer('train-limit', 1));
const loader = new flint.data.DataLoader(data, { batchSize, shuffle: true, generator: new flint.Generator(Number(args.seed)) });
console.log(`MNIST: ${data.length} images, ${loader.length} batches of ${batchSize}; backend ${device}`);

const gan = createGan(sizes, { lr: Number(args.lr), beta1: Number(args.beta1) });
if (args['net-g']) await loadWeights(gan.netG, args['net-g']);
if (args['net-d']) await loadWeights(gan.netD, args['net-d']);
console.log(gan.netG.toString());
console.log(gan.netD.toString());
const fixedNoise = flint.randn([64, sizes.nz, 1, 1], { device });
mkdirSync(args.outf, { recursive: true });

const pad = (n: number): string => String(n).padStart(3, '0');
const started = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  const bar = new cliProgress.SingleBar(
    { format: `epoch ${epoch}/${epochs} |{bar}| {value}/{total} | Loss_D {errD} Loss_G {errG} D(x) {dX} D(G(z)) {dGz1} / {dGz2} | {duration_formatted}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(args['dry-run'] ? 1 : loader.length, 0, { errD: '-', errG: '-', dX: '-', dGz1: '-', dGz2: '-' });
  const sums: StepStats = { errD: 0, errG: 0, dX: 0, dGz1: 0, dGz2: 0 };
  let steps = 0;
  for await (const [host] of loader) {
    const real = host!.to(device);
    const stats = await trainStep(gan, real);
    for (const t of new Set([host!, real])) t.dispose();
    for (const key of Object.keys(sums) as Array<keyof StepStats>) sums[key] += stats[key];
    steps++;
    bar.increment(Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, v.toFixed(4)])));
    if (args['dry-run']) break;
  }
  bar.stop();
  const mean = (key: keyof StepStats): string => (sums[key] / steps).toFixed(4);
  console.log(`epoch ${epoch}: mean Loss_D ${mean('errD')} Loss_G ${mean('errG')} D(x) ${mean('dX')} D(G(z)) ${mean('dGz1')} / ${mean('dGz2')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);

  // The original samples in training mode too: its generator never switches to eval().
  const grid = join(args.outf, `fake_samples_epoch_${pad(epoch)}.png`);
  const fake = flint.tidy(() => flint.noGrad(() => gan.netG.forward(fixedNoise)));
  await saveGrid(fake, grid);
  fake.dispose();
  await saveWeights(gan.netG, join(args.outf, `netG_epoch_${epoch}.safetensors`));
  await saveWeights(gan.netD, join(args.outf, `netD_epoch_${epoch}.safetensors`));
  console.log(`wrote ${grid} and the checkpoints of epoch ${epoch} to ${args.outf}/`);
  if (args['dry-run']) break;
}
fixedNoise.dispose();
disposeGan(gan);
for (const t of data.tensors) t.dispose();
console.log('memory:', JSON.stringify(flint.memory()));
