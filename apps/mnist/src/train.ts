/**
 * Trains an MLP or a CNN on the real MNIST digits with flint: a validation split, a progress bar
 * per epoch, training/validation/test metrics every epoch, checkpoints with resume, early stopping,
 * and a small hyperparameter sweep.
 *
 *   pnpm example                                   # MLP, defaults below
 *   pnpm example -- --model cnn --epochs 3
 *   pnpm example -- --resume                       # continue from the last checkpoint
 *   pnpm example -- --sweep --epochs 1             # lr x batch size grid, validation accuracy table
 *   pnpm example -- --backend webgpu               # on the GPU (in Node through the webgpu package's Dawn)
 *   pnpm example -- --backend cpu                  # the reference backend, plain TypeScript
 *   pnpm example -- --export model.onnx            # also write the trained model as ONNX, for ONNX Runtime
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { exportOnnx } from '@flint/onnx';
import { loadMnist } from './mnist.ts';
import { createModel, type ModelName } from './models.ts';
import { evaluate, trainEpoch, type Stats } from './loop.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm example -- --epochs 3`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string' },
    model: { type: 'string', default: 'mlp' },
    epochs: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    'val-fraction': { type: 'string', default: '0.1' },
    patience: { type: 'string', default: '0' },
    checkpoint: { type: 'string' },
    resume: { type: 'boolean', default: false },
    sweep: { type: 'boolean', default: false },
    'train-limit': { type: 'string', default: '60000' },
    seed: { type: 'string', default: '0' },
    export: { type: 'string' },
  },
});

if (args.model !== 'mlp' && args.model !== 'cnn') throw new Error(`--model must be mlp or cnn, got ${args.model}`);
if (args.sweep && args.export) throw new Error('--export saves one trained model: it does not combine with --sweep');
const modelName = args.model as ModelName;
const epochs = Number(args.epochs);
const patience = Number(args.patience);
const checkpointPath = args.checkpoint ?? `checkpoints/mnist-${modelName}.safetensors`;

// Without --backend, FLINT_BACKEND or the fastest registered backend that starts (wasm-simd).
if (args.backend) await flint.setBackend(args.backend);
else await flint.init();
// The data set lives on the host backend; batches move to the one that trains.
await flint.startBackend('cpu');
const seed = Number(args.seed);
const full = loadMnist('train', Number(args['train-limit']));
const test = loadMnist('t10k');
const valCount = Math.round(full.length * Number(args['val-fraction']));
const [train, val] = flint.data.randomSplit(full, [full.length - valCount, valCount], { generator: new flint.Generator(seed) });
console.log(`MNIST: ${train!.length} training, ${val!.length} validation, ${test.length} test images; backend ${flint.getBackendName()}`);

const fmt = (s: Stats): string => `loss ${s.loss.toFixed(4)} acc ${(s.accuracy * 100).toFixed(2)}%`;

/** Trains one configuration; returns the best validation stats and the final test accuracy. */
async function run(lr: number, batchSize: number, options: { quiet: boolean }): Promise<{ val: Stats; test: Stats }> {
  flint.manualSeed(seed);
  const model = createModel(modelName);
  const optimizer = new flint.optim.Adam(model.parameters(), { lr });
  const lossFn = new flint.nn.CrossEntropyLoss();
  const loaders = {
    train: new flint.data.DataLoader(train!, { batchSize, shuffle: true, generator: new flint.Generator(seed) }),
    val: new flint.data.DataLoader(val!, { batchSize: 1000 }),
    test: new flint.data.DataLoader(test, { batchSize: 1000 }),
  };
  let start = 1;
  let best: Stats = { loss: Infinity, accuracy: 0 };
  if (args.resume && existsSync(checkpointPath)) {
    const progress = await loadCheckpoint(checkpointPath, model, optimizer);
    start = progress.epoch + 1;
    best = { loss: progress.bestValLoss, accuracy: 0 };
    console.log(`resumed from ${checkpointPath} after epoch ${progress.epoch}`);
  }
  // Cosine decay over the whole run, stepped per batch: a large lr early, a settled model at the end.
  const steps = loaders.train.length;
  const schedule = new flint.optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: epochs * steps, lastEpoch: start === 1 ? -1 : (start - 1) * steps - 1 });
  let stale = 0;
  let testStats: Stats = { loss: NaN, accuracy: NaN };
  for (let epoch = start; epoch <= epochs; epoch++) {
    const bar = new cliProgress.SingleBar(
      { format: `epoch ${epoch}/${epochs} |{bar}| {value}/{total} batches | loss {loss} | {duration_formatted}`, hideCursor: true, noTTYOutput: !options.quiet, notTTYSchedule: 10_000 },
      cliProgress.Presets.shades_classic,
    );
    if (!options.quiet) bar.start(loaders.train.length, 0, { loss: '-' });
    const trained = await trainEpoch(model, loaders.train, optimizer, lossFn, (loss) => {
      schedule.step();
      if (!options.quiet) bar.increment({ loss: loss.toFixed(4) });
    });
    if (!options.quiet) bar.stop();
    const validated = await evaluate(model, loaders.val, lossFn);
    testStats = await evaluate(model, loaders.test, lossFn);
    if (!options.quiet) console.log(`epoch ${epoch}: train ${fmt(trained)} | validation ${fmt(validated)} | test acc ${(testStats.accuracy * 100).toFixed(2)}%`);
    if (validated.loss < best.loss) {
      best = validated;
      stale = 0;
    } else stale++;
    if (!options.quiet) {
      mkdirSync(dirname(checkpointPath), { recursive: true });
      await saveCheckpoint(checkpointPath, model, optimizer, { epoch, bestValLoss: best.loss, model: modelName });
    }
    if (patience > 0 && stale >= patience) {
      if (!options.quiet) console.log(`early stop: validation loss has not improved for ${patience} epochs`);
      break;
    }
  }
  if (!options.quiet && args.export) {
    // Images [batch, 1, 28, 28] in [0, 1] to logits [batch, 10]; any batch size.
    await exportOnnx(model, [flint.zeros([1, 1, 28, 28])], args.export, { inputNames: ['image'], outputNames: ['logits'], dynamicAxes: { image: { 0: 'batch' } } });
    console.log(`exported ${modelName} to ${args.export} (ONNX opset 17)`);
  }
  model.dispose();
  optimizer.dispose();
  return { val: best, test: testStats };
}

if (args.sweep) {
  const rows = [];
  for (const lr of [0.0003, 0.001, 0.003]) {
    for (const batchSize of [32, 64, 128]) {
      const { val } = await run(lr, batchSize, { quiet: true });
      rows.push({ lr, batchSize, 'val loss': Number(val.loss.toFixed(4)), 'val acc %': Number((val.accuracy * 100).toFixed(2)) });
      console.log(`lr ${lr} batch ${batchSize}: validation ${fmt(val)}`);
    }
  }
  console.table(rows);
} else {
  const { test: final } = await run(Number(args.lr), Number(args['batch-size']), { quiet: false });
  console.log(`final test accuracy ${(final.accuracy * 100).toFixed(2)}% (${modelName}); checkpoint ${checkpointPath}`);
}
console.log('memory:', JSON.stringify(flint.memory()));
