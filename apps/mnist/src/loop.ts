/** One pass over a loader: the training loop PyTorch users write, and evaluation. */
import * as flint from '@flint/core';

type Model = flint.nn.Module & { forward(x: flint.Tensor): flint.Tensor };
/** Batches of [images, labels], as a DataLoader over a TensorDataset yields them. */
type Batches = AsyncIterable<flint.Tensor[]>;

export interface Stats {
  loss: number;
  accuracy: number;
}

/** Sums of loss (weighted by batch size) and correct predictions, read back once per batch. */
async function accumulate(model: Model, batches: Batches, step: (x: flint.Tensor, y: flint.Tensor) => { loss: flint.Tensor; correct: flint.Tensor }, onBatch?: (loss: number) => void): Promise<Stats> {
  let loss = 0;
  let correct = 0;
  let seen = 0;
  const device = model.parameters()[0]!.device;
  for await (const batch of batches) {
    const [hostX, hostY] = batch as [flint.Tensor, flint.Tensor];
    const [x, y] = [hostX.to(device), hostY.to(device)];
    const out = step(x, y);
    const [l, c] = await Promise.all([out.loss.item(), out.correct.item()]);
    for (const t of [hostX, hostY, x, y, out.loss, out.correct]) t.dispose();
    loss += l * y.shape[0]!;
    correct += c;
    seen += y.shape[0]!;
    onBatch?.(l);
  }
  return { loss: loss / seen, accuracy: correct / seen };
}

/** One epoch: forward, loss, backward, optimizer step, zero grads, for every batch. */
export function trainEpoch(model: Model, batches: Batches, optimizer: flint.optim.Optimizer, lossFn: flint.nn.CrossEntropyLoss, onBatch?: (loss: number) => void): Promise<Stats> {
  model.train();
  return accumulate(
    model,
    batches,
    (x, y) =>
      flint.tidy(() => {
        const logits = model.forward(x);
        const loss = lossFn.forward(logits, y);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return { loss, correct: logits.argmax(1).eq(y).sum() };
      }),
    onBatch,
  );
}

/** Loss and accuracy without recording gradients. */
export function evaluate(model: Model, batches: Batches, lossFn: flint.nn.CrossEntropyLoss): Promise<Stats> {
  model.eval();
  return accumulate(model, batches, (x, y) =>
    flint.tidy(() =>
      flint.noGrad(() => {
        const logits = model.forward(x);
        return { loss: lossFn.forward(logits, y), correct: logits.argmax(1).eq(y).sum() };
      }),
    ),
  );
}
