/** The training loop PyTorch users write, in steps the page can watch, pause between and stop. */
import * as flint from '@flint/core';
import { batch, type Split } from './mnist.ts';
import { pacer, yieldToPage } from './pacing.ts';

export interface TrainOptions {
  /** Adam's learning rate. */
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Trains on the first `trainSize` training images (all 60000 by default in the page). */
  readonly trainSize: number;
  /** Seeds the shuffling, so a run can be repeated. */
  readonly seed: number;
}

/** What the page is told after every step. */
export interface StepReport {
  readonly epoch: number;
  /** Steps done, over all epochs. */
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  /** Fraction of the batch classified right. */
  readonly accuracy: number;
}

export interface TrainHooks {
  onStep(report: StepReport): void;
  /** After each epoch, with the accuracy on the test split. */
  onEpoch(epoch: number, testAccuracy: number): void;
  /** Checked before every step: true ends the run early. */
  stopped(): boolean;
}

/** Batches of indices of one epoch over the first `size` images, shuffled by `generator`. */
function epochBatches(size: number, batchSize: number, generator: flint.Generator): number[][] {
  return [...new flint.data.BatchSampler(new flint.data.RandomSampler({ length: size }, { generator }), batchSize, false)];
}

/** Fraction of `split`'s images that `model` classifies right, in batches of 500 without gradients. */
export async function evaluate(model: flint.nn.Sequential, split: Split, device: string): Promise<number> {
  model.eval();
  let correct = 0;
  for (let start = 0; start < split.count; start += 500) {
    const indices = Array.from({ length: Math.min(500, split.count - start) }, (_, i) => start + i);
    const [x, y] = batch(split, indices, device);
    const hits = flint.tidy(() => flint.noGrad(() => model.forward(x).argmax(1).eq(y).sum()));
    correct += await hits.item();
    for (const t of [x, y, hits]) t.dispose();
    await yieldToPage();
  }
  return correct / split.count;
}

/** Trains `model` (on `device`) with Adam and cross-entropy, reporting every step and every epoch. */
export async function train(model: flint.nn.Sequential, data: { train: Split; test: Split }, device: string, options: TrainOptions, hooks: TrainHooks): Promise<void> {
  const optimizer = new flint.optim.Adam(model.parameters(), { lr: options.lr });
  const lossFn = new flint.nn.CrossEntropyLoss();
  const generator = new flint.Generator(options.seed);
  const perEpoch = Math.ceil(options.trainSize / options.batchSize);
  const totalSteps = perEpoch * options.epochs;
  let step = 0;
  const pace = pacer();
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      model.train();
      for (const indices of epochBatches(options.trainSize, options.batchSize, generator)) {
        if (hooks.stopped()) return;
        const [x, y] = batch(data.train, indices, device);
        const out = flint.tidy(() => {
          const logits = model.forward(x);
          const loss = lossFn.forward(logits, y);
          optimizer.zeroGrad();
          loss.backward();
          optimizer.step();
          return { loss, correct: logits.argmax(1).eq(y).sum() };
        });
        const [loss, correct] = await Promise.all([out.loss.item(), out.correct.item()]);
        for (const t of [x, y, out.loss, out.correct]) t.dispose();
        step++;
        hooks.onStep({ epoch, step, totalSteps, loss, accuracy: correct / indices.length });
        await pace();
      }
      hooks.onEpoch(epoch, await evaluate(model, data.test, device));
    }
  } finally {
    // The last step's gradients are of no further use: free them with the optimizer's state.
    optimizer.zeroGrad();
    optimizer.dispose();
  }
}
