/**
 * char-gpt's training (its GPT, AdamW set-up, warmup and cosine schedule, clipping and training
 * step) in steps the page can watch, sample between and stop.
 */
import * as flint from '@flint/core';
import { configureOptimizer, getBatch, trainStep, type GPT, type GPTConfig, type OptimConfig } from '@flint/example-char-gpt/model';
import { pacer } from './pacing.ts';

/**
 * The model the page trains: 2 layers, 4 heads, width 64, context 64 (105,792 parameters). On
 * wasm-simd in headless Chromium on 2 shared cores it ran 11-16 steps a second at batch 16: in a
 * minute the loss fell from ln 89 = 4.49 to 2.03 nats per character (step 668), and the default
 * 1000 steps, with four samples of 300 characters, took 81 s and ended at 1.90, samples by then
 * of words and punctuation.
 */
export const TEXT_MODEL: Omit<GPTConfig, 'vocabSize'> = { blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 64, dropout: 0, bias: true };

export interface TextTrainOptions {
  /** AdamW's peak learning rate, reached after warmup; it decays to a tenth of it by the last step. */
  readonly lr: number;
  readonly batchSize: number;
  readonly steps: number;
  /** Seeds the batches' offsets, so a run can be repeated. */
  readonly seed: number;
}

export interface TextStepReport {
  /** Steps done. */
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
}

export interface TextTrainHooks {
  /** After every step; the loop waits for it, so the model may be sampled here. */
  onStep(report: TextStepReport): void | Promise<void>;
  /** Checked before every step: true ends the run early. */
  stopped(): boolean;
}

/** char-gpt's optimiser settings with the schedule fitted to `options`: warmup over the first tenth of the steps. */
export function optimConfig(options: TextTrainOptions): OptimConfig {
  return {
    learningRate: options.lr, weightDecay: 0.1, beta1: 0.9, beta2: 0.99, gradClip: 1,
    warmupIters: Math.round(options.steps / 10), lrDecayIters: options.steps, minLr: options.lr / 10,
  };
}

/** Trains `model` (on `device`) on random windows of `ids`, reporting every step. */
export async function trainText(model: GPT, ids: Int32Array, device: string, options: TextTrainOptions, hooks: TextTrainHooks): Promise<void> {
  const config = optimConfig(options);
  const optimizer = configureOptimizer(model, config);
  const generator = new flint.Generator(options.seed);
  const pace = pacer();
  model.train();
  try {
    for (let it = 0; it < options.steps; it++) {
      if (hooks.stopped()) return;
      const [x, y] = getBatch(ids, model.config.blockSize, options.batchSize, device, generator);
      const loss = trainStep(model, optimizer, x, y, it, config);
      const value = await loss.item();
      for (const t of [x, y, loss]) t.dispose();
      await hooks.onStep({ step: it + 1, totalSteps: options.steps, loss: value });
      await pace();
    }
  } finally {
    // A step cut short by an error may leave gradients behind: free them with the optimizer's state.
    optimizer.zeroGrad();
    optimizer.dispose();
  }
}
