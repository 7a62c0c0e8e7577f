/**
 * Trains a nanoGPT-style character transformer on the real text of Moby Dick with flint, as
 * nanoGPT's train.py does for shakespeare_char: random context windows, AdamW with warmup and
 * cosine decay, gradient clipping, a periodic validation estimate, and a checkpoint at the best
 * validation loss; `--sample` generates text from a checkpoint.
 *
 *   pnpm char-gpt                                    # train with the defaults below
 *   pnpm char-gpt -- --max-iters 200 --eval-interval 50
 *   pnpm char-gpt -- --sample --start "Call me" --temperature 0.8 --top-k 20
 *   pnpm char-gpt -- --backend cpu
 */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { readMobyDick } from './corpus.ts';
import { splitIds, Vocabulary } from './text.ts';
import { getBatch } from './batch.ts';
import { GPT, type GPTConfig } from './model.ts';
import { configureOptimizer, trainStep, type OptimConfig } from './optim.ts';
import { sampleText } from './sample.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm char-gpt -- --sample`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string' },
    'max-iters': { type: 'string', default: '3000' },
    'eval-interval': { type: 'string', default: '750' },
    'eval-iters': { type: 'string', default: '40' },
    'batch-size': { type: 'string', default: '16' },
    'block-size': { type: 'string', default: '64' },
    'n-layer': { type: 'string', default: '3' },
    'n-head': { type: 'string', default: '4' },
    'n-embd': { type: 'string', default: '128' },
    dropout: { type: 'string', default: '0' },
    lr: { type: 'string', default: '0.005' },
    'min-lr': { type: 'string', default: '0.0005' },
    'warmup-iters': { type: 'string', default: '100' },
    'weight-decay': { type: 'string', default: '0.1' },
    'grad-clip': { type: 'string', default: '1' },
    checkpoint: { type: 'string', default: 'checkpoints/char-gpt.safetensors' },
    sample: { type: 'boolean', default: false },
    start: { type: 'string', default: '\n' },
    'max-new-tokens': { type: 'string', default: '500' },
    temperature: { type: 'string', default: '0.8' },
    'top-k': { type: 'string', default: '20' },
    seed: { type: 'string', default: '1337' },
  },
});

const int = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer, got ${args[name]}`);
  return value;
};

if (args.backend) await flint.setBackend(args.backend);
else await flint.init();
// Batch offsets are drawn on the host backend, whichever backend trains.
await flint.startBackend('cpu');
const device = flint.getBackendName()!;
flint.manualSeed(int('seed'));

const text = readMobyDick();
const vocab = Vocabulary.fromText(text);
const { train, val } = splitIds(vocab.encode(text));

if (args.sample) await sample();
else await trainModel();

async function sample(): Promise<void> {
  if (!existsSync(args.checkpoint)) throw new Error(`--sample: no checkpoint at ${args.checkpoint}; train first (pnpm char-gpt)`);
  const { tensors, metadata } = await flint.loadWithMetadata(args.checkpoint);
  const model = new GPT(JSON.parse(metadata.config!) as GPTConfig);
  model.loadStateDict(tensors);
  for (const t of tensors.values()) t.dispose();
  process.stdout.write(args.start);
  const options = { temperature: Number(args.temperature), topK: int('top-k'), generator: new flint.Generator(int('seed')) };
  for await (const piece of sampleText(model, vocab, args.start, int('max-new-tokens'), options)) process.stdout.write(piece);
  process.stdout.write('\n');
}

/** Mean loss over `eval-iters` random batches of each split, in eval mode (nanoGPT's estimate_loss). */
async function estimateLoss(model: GPT, generator: flint.Generator): Promise<{ train: number; val: number }> {
  model.eval();
  const mean = async (data: Int32Array): Promise<number> => {
    let total = 0;
    for (let i = 0; i < int('eval-iters'); i++) {
      const [x, y] = getBatch(data, int('block-size'), int('batch-size'), device, generator);
      const loss = flint.noGrad(() => flint.tidy(() => model.forward(x, y).loss!));
      total += await loss.item();
      for (const t of [x, y, loss]) t.dispose();
    }
    return total / int('eval-iters');
  };
  const losses = { train: await mean(train), val: await mean(val) };
  model.train();
  return losses;
}

async function trainModel(): Promise<void> {
  const config: GPTConfig = {
    blockSize: int('block-size'), vocabSize: vocab.size, nLayer: int('n-layer'), nHead: int('n-head'),
    nEmbd: int('n-embd'), dropout: Number(args.dropout), bias: true,
  };
  const maxIters = int('max-iters');
  const optimConfig: OptimConfig = {
    learningRate: Number(args.lr), weightDecay: Number(args['weight-decay']), beta1: 0.9, beta2: 0.99,
    warmupIters: int('warmup-iters'), lrDecayIters: maxIters, minLr: Number(args['min-lr']), gradClip: Number(args['grad-clip']),
  };
  const model = new GPT(config);
  const optimizer = configureOptimizer(model, optimConfig);
  const generator = new flint.Generator(int('seed'));
  console.log(`char-gpt on ${device}: ${text.length} characters, vocabulary ${vocab.size}, ${train.length} train / ${val.length} validation; ${model.numParams()} parameters`);
  const bar = new cliProgress.SingleBar({ format: 'iter {value}/{total} [{bar}] loss {loss} | {rate} it/s' }, cliProgress.Presets.shades_classic);
  let best = Infinity;
  const started = performance.now();
  bar.start(maxIters, 0, { loss: '-', rate: '-' });
  for (let it = 0; it <= maxIters; it++) {
    if (it % int('eval-interval') === 0 || it === maxIters) {
      const losses = await estimateLoss(model, generator);
      bar.stop();
      console.log(`step ${it}: train loss ${losses.train.toFixed(4)}, val loss ${losses.val.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      if (losses.val < best) {
        best = losses.val;
        mkdirSync(dirname(args.checkpoint), { recursive: true });
        const state = model.stateDict();
        await flint.save(state, args.checkpoint, { metadata: { config: JSON.stringify(config), iter: String(it), valLoss: String(best) } });
        for (const t of state.values()) t.dispose();
      }
      if (it === maxIters) break;
      bar.start(maxIters, it, { loss: '-', rate: '-' });
    }
    const [x, y] = getBatch(train, config.blockSize, int('batch-size'), device, generator);
    const loss = trainStep(model, optimizer, x, y, it, optimConfig);
    const value = await loss.item();
    for (const t of [x, y, loss]) t.dispose();
    bar.update(it + 1, { loss: value.toFixed(4), rate: ((it + 1) / ((performance.now() - started) / 1000)).toFixed(2) });
  }
  console.log(`best validation loss ${best.toFixed(4)} nats/char, saved to ${args.checkpoint}; sample with: pnpm char-gpt -- --sample`);
  model.dispose();
  optimizer.dispose();
}
