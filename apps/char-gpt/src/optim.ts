/** nanoGPT's optimizer set-up and learning-rate schedule, and one training step. */
import * as flint from '@flint/core';
import type { GPT } from './model.ts';

export interface OptimConfig {
  learningRate: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Linear warmup over these iterations... */
  warmupIters: number;
  /** ...then cosine decay down to `minLr` at this iteration, constant after. */
  lrDecayIters: number;
  minLr: number;
  /** Clip the gradients' total 2-norm to this (0: no clipping). */
  gradClip: number;
}

/**
 * AdamW with weight decay on the 2-D weights only (matmul weights and embeddings); biases and
 * LayerNorm gains are not decayed. Each parameter appears once (the tied head is the embedding).
 */
export function configureOptimizer(model: GPT, config: OptimConfig): flint.optim.AdamW {
  const params = model.parameters();
  return new flint.optim.AdamW(
    [
      { params: params.filter((p) => p.ndim >= 2), weightDecay: config.weightDecay },
      { params: params.filter((p) => p.ndim < 2), weightDecay: 0 },
    ],
    { lr: config.learningRate, betas: [config.beta1, config.beta2] },
  );
}

/** nanoGPT's get_lr: the learning rate of iteration `it`. */
export function learningRate(it: number, config: OptimConfig): number {
  if (it < config.warmupIters) return (config.learningRate * (it + 1)) / (config.warmupIters + 1);
  if (it > config.lrDecayIters) return config.minLr;
  const decayRatio = (it - config.warmupIters) / (config.lrDecayIters - config.warmupIters);
  const coeff = 0.5 * (1 + Math.cos(Math.PI * decayRatio));
  return config.minLr + coeff * (config.learningRate - config.minLr);
}

/** One iteration at learning rate `learningRate(it)`: forward, backward, clip, AdamW step. Returns the loss (dispose it). */
export function trainStep(model: GPT, optimizer: flint.optim.Optimizer, x: flint.Tensor, y: flint.Tensor, it: number, config: OptimConfig): flint.Tensor {
  const lr = learningRate(it, config);
  for (const group of optimizer.paramGroups) group.lr = lr;
  return flint.tidy(() => {
    const { loss } = model.forward(x, y);
    loss!.backward();
    if (config.gradClip > 0) flint.nn.utils.clipGradNorm_(model.parameters(), config.gradClip);
    optimizer.step();
    optimizer.zeroGrad();
    return loss!;
  });
}
