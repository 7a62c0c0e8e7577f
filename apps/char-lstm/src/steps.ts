/**
 * The two loops of word_language_model's main.py over batchified data: one training step (the
 * body of its train()) and a whole evaluation pass (its evaluate()). The loss is cross entropy on
 * the model's logits, which is the original's NLLLoss on log_softmax.
 */
import * as flint from '@flint/core';
import { batchStarts, getBatch } from './data.ts';
import type { Hidden, RNNModel } from './model.ts';

/** A step's mean loss per token (a scalar; dispose it) and the state to start the next step from. */
export interface StepResult {
  loss: flint.Tensor;
  hidden: Hidden;
}

/**
 * One step on `data` [seqLen, batch] and `targets` [seqLen * batch] from `hidden`: forward,
 * backward, gradients clipped to total norm `clip`, one `optimizer` step. The step starts from
 * the values of `hidden` but not its history (the original's repackage_hidden), so gradients stop
 * at the step's first row; `hidden` is left to the caller to dispose.
 */
export function trainStep(model: RNNModel, optimizer: flint.optim.Optimizer, hidden: Hidden, data: flint.Tensor, targets: flint.Tensor, clip: number): StepResult {
  return flint.tidy(() => {
    optimizer.zeroGrad();
    const [output, next] = model.forward(data, [hidden[0].detach(), hidden[1].detach()]);
    const loss = flint.nn.functional.crossEntropy(output, targets);
    loss.backward();
    // Clipping keeps the large learning rate (20 by default) from blowing up on exploding gradients.
    flint.nn.utils.clipGradNorm_(model.parameters(), clip);
    optimizer.step();
    return { loss: loss.detach(), hidden: [next[0].detach(), next[1].detach()] };
  });
}

/**
 * The mean loss per token over all of `source` [N, batch] in eval mode (no dropout), reading it in
 * chunks of `bptt` with the state carried across chunks from zero; training mode is restored.
 */
export async function evaluate(model: RNNModel, source: flint.Tensor, bptt: number): Promise<number> {
  model.eval();
  let hidden = model.initHidden(source.shape[1]!);
  // Summed on the device and read once, so that a pass costs no readback per chunk.
  let total = flint.zeros([], { device: source.device });
  for (const i of batchStarts(source, bptt)) {
    const [sum, next] = flint.noGrad(() => flint.tidy(() => {
      const [data, targets] = getBatch(source, i, bptt);
      const [output, state] = model.forward(data, hidden);
      return [total.add(flint.nn.functional.crossEntropy(output, targets).mul(data.shape[0]!)), state] as const;
    }));
    for (const t of [total, ...hidden]) t.dispose();
    [total, hidden] = [sum, next];
  }
  const value = await total.item();
  for (const t of [total, ...hidden]) t.dispose();
  model.train();
  return value / (source.shape[0]! - 1);
}
