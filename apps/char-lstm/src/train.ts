/**
 * pytorch/examples' word_language_model (main.py) with flint, on the characters of Moby Dick: a
 * 2-layer LSTM language model trained by truncated backpropagation through time, plain SGD at
 * lr 20 with gradient clipping, the learning rate divided by 4 whenever the validation loss stops
 * improving, the model of the best validation loss saved, and its test perplexity at the end.
 *
 *   pnpm char-lstm                                # the defaults below (2 epochs)
 *   pnpm char-lstm -- --epochs 6 --emsize 200 --nhid 200 --tied
 *   pnpm char-lstm -- --backend webgpu            # or cpu
 *   pnpm char-lstm -- --dry-run                   # one training batch per epoch, to check the setup
 */
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { readMobyDick, Vocabulary } from '@flint/example-char-gpt/corpus';
import { batchify, batchStarts, getBatch, splitCorpus } from './data.ts';
import { RNNModel, type RNNModelConfig } from './model.ts';
import { evaluate, trainStep } from './steps.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm char-lstm -- --tied`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    backend: { type: 'string' },
    emsize: { type: 'string', default: '128' },
    nhid: { type: 'string', default: '128' },
    nlayers: { type: 'string', default: '2' },
    lr: { type: 'string', default: '20' },
    clip: { type: 'string', default: '0.25' },
    epochs: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '20' },
    bptt: { type: 'string', default: '35' },
    dropout: { type: 'string', default: '0.2' },
    tied: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1111' },
    'log-interval': { type: 'string', default: '200' },
    save: { type: 'string', default: 'checkpoints/char-lstm.safetensors' },
    'dry-run': { type: 'boolean', default: false },
  },
});

const integer = (name: keyof typeof args): number => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer, got ${args[name]}`);
  return v;
};
const positive = (name: keyof typeof args): number => {
  const v = Number(args[name]);
  if (!(v > 0)) throw new RangeError(`--${name} must be a positive number, got ${args[name]}`);
  return v;
};
const [epochs, batchSize, bptt, logInterval] = [integer('epochs'), integer('batch-size'), integer('bptt'), integer('log-interval')];
const clip = positive('clip');
const EVAL_BATCH_SIZE = 10;

// Without --backend, FLINT_BACKEND or the fastest registered backend that starts (wasm-simd).
if (args.backend) await flint.setBackend(args.backend);
else await flint.init();
const device = flint.getBackendName()!;
flint.manualSeed(integer('seed'));

const text = readMobyDick();
const vocab = Vocabulary.fromText(text);
const splits = splitCorpus(vocab.encode(text));
const trainData = batchify(splits.train, batchSize, device);
const valData = batchify(splits.val, EVAL_BATCH_SIZE, device);
const testData = batchify(splits.test, EVAL_BATCH_SIZE, device);

const config: RNNModelConfig = {
  ntoken: vocab.size, ninp: integer('emsize'), nhid: integer('nhid'), nlayers: integer('nlayers'), dropout: Number(args.dropout), tied: args.tied,
};
const model = new RNNModel(config);
let lr = positive('lr');
const optimizer = new flint.optim.SGD(model.parameters(), { lr });
const numParams = model.parameters().reduce((n, p) => n + p.numel(), 0);
console.log(`char-lstm on ${device}: ${text.length} characters, vocabulary ${vocab.size}; ${splits.train.length} train / ${splits.val.length} validation / ${splits.test.length} test; ${numParams} parameters`);
console.log(model.toString());

const ppl = (loss: number): string => Math.exp(loss).toFixed(2);
const rule = '-'.repeat(89);

/** One pass over the training data, as the original's train(); returns the epoch's mean loss. */
async function trainEpoch(epoch: number): Promise<number> {
  const starts = batchStarts(trainData, bptt);
  const bar = new cliProgress.SingleBar(
    { format: `epoch ${epoch}/${epochs} |{bar}| {value}/{total} batches | lr {lr} | ms/batch {ms} | loss {loss} | ppl {ppl} | {duration_formatted}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    cliProgress.Presets.shades_classic,
  );
  const total = args['dry-run'] ? 1 : starts.length;
  bar.start(total, 0, { lr: lr.toFixed(2), ms: '-', loss: '-', ppl: '-' });
  let hidden = model.initHidden(batchSize);
  let [intervalLoss, epochLoss, intervalStart] = [0, 0, performance.now()];
  for (let batch = 0; batch < total; batch++) {
    const [data, targets] = getBatch(trainData, starts[batch]!, bptt);
    const step = trainStep(model, optimizer, hidden, data, targets, clip);
    const loss = await step.loss.item();
    for (const t of [data, targets, step.loss, ...hidden]) t.dispose();
    hidden = step.hidden;
    intervalLoss += loss;
    epochLoss += loss;
    // The bar shows the mean over the last --log-interval batches, as the original prints it.
    if ((batch + 1) % logInterval === 0) {
      const mean = intervalLoss / logInterval;
      bar.update(batch + 1, { ms: ((performance.now() - intervalStart) / logInterval).toFixed(1), loss: mean.toFixed(2), ppl: ppl(mean) });
      [intervalLoss, intervalStart] = [0, performance.now()];
    } else bar.update(batch + 1);
    // Reads on the CPU backends resolve as microtasks, which never let the bar's redraw timer run.
    await new Promise((resolve) => setImmediate(resolve));
  }
  bar.stop();
  for (const t of hidden) t.dispose();
  return epochLoss / total;
}

async function saveModel(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const state = model.stateDict();
  try {
    await flint.save(state, path, { metadata: { config: JSON.stringify(config) } });
  } finally {
    for (const t of state.values()) t.dispose();
  }
}

let bestValLoss = Infinity;
const started = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  const epochStart = performance.now();
  const trainLoss = await trainEpoch(epoch);
  const valLoss = await evaluate(model, valData, bptt);
  console.log(rule);
  console.log(`| end of epoch ${epoch} | time: ${((performance.now() - epochStart) / 1000).toFixed(1)} s | train loss ${trainLoss.toFixed(3)} | train ppl ${ppl(trainLoss)} | valid loss ${valLoss.toFixed(3)} | valid ppl ${ppl(valLoss)}`);
  console.log(rule);
  if (valLoss < bestValLoss) {
    await saveModel(args.save);
    bestValLoss = valLoss;
  } else {
    // Anneal the learning rate if no improvement has been seen in the validation data.
    lr /= 4;
    for (const group of optimizer.paramGroups) group.lr = lr;
  }
}

// The best model's weights back from the checkpoint, as the original reloads its best model.
const best = await flint.load(args.save);
model.loadStateDict(best);
for (const t of best.values()) t.dispose();
const testLoss = await evaluate(model, testData, bptt);
console.log('='.repeat(89));
console.log(`| End of training | test loss ${testLoss.toFixed(3)} | test ppl ${ppl(testLoss)} | ${((performance.now() - started) / 1000).toFixed(0)} s | best model in ${args.save}`);
console.log('='.repeat(89));
for (const t of [trainData, valData, testData]) t.dispose();
model.dispose();
optimizer.dispose();
