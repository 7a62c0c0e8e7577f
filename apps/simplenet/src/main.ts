/**
 * The PyTorch tutorial's training program in flint: Dataset, DataLoader with two worker threads,
 * SimpleNet, CrossEntropyLoss, SGD, ten epochs. `--backend webgpu` (or FLINT_BACKEND) picks the
 * backend; otherwise `flint.init()` chooses.
 */
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import '@flint/webgpu';
import { SimpleDataset } from './dataset.ts';
import { SimpleNet } from './simple-net.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm simplenet -- --backend webgpu`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { backend: { type: 'string' } },
});
if (args.backend) await flint.setBackend(args.backend);
else await flint.init();
flint.manualSeed(0);

const dataset = new SimpleDataset(1000, 0);
const dataloader = new flint.data.DataLoader(dataset, { batchSize: 64, shuffle: true, numWorkers: 2, persistentWorkers: true });

const model = new SimpleNet();
const criterion = new flint.nn.CrossEntropyLoss();
const optimizer = new flint.optim.SGD(model.parameters(), { lr: 0.01 });

const epochs = 10;
for (let epoch = 0; epoch < epochs; epoch++) {
  let lossSum = 0;
  let correct = 0;
  for await (const [inputs, targets] of dataloader) {
    const [loss, hits] = flint.tidy(() => {
      optimizer.zeroGrad();
      const outputs = model.forward(inputs!);
      const loss = criterion.forward(outputs, targets!);
      loss.backward();
      optimizer.step();
      return [loss.detach(), outputs.argmax(1).eq(targets!).sum()];
    });
    // Reading is asynchronous on every backend (a GPU cannot answer synchronously).
    const [l, h] = await Promise.all([loss!.item(), hits!.item()]);
    lossSum += l * targets!.shape[0]!;
    correct += h;
    for (const t of [loss!, hits!, inputs!, targets!]) t.dispose();
  }
  console.log(`Epoch ${epoch + 1}/${epochs} completed. loss ${(lossSum / dataset.length).toFixed(4)}, accuracy ${((correct / dataset.length) * 100).toFixed(1)}%`);
}
await dataloader.close();
