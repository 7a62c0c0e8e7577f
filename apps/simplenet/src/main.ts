/**
 * The PyTorch tutorial's training program in flint: Dataset, DataLoader with two worker threads,
 * SimpleNet, CrossEntropyLoss, SGD, ten epochs.
 */
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import { SimpleDataset } from './dataset.ts';
import { SimpleNet } from './simple-net.ts';

await flint.init();
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
      return [loss.itemSync() * targets!.shape[0]!, outputs.argmax(1).eq(targets!).sum().itemSync()];
    });
    inputs!.dispose();
    targets!.dispose();
    lossSum += loss;
    correct += hits;
  }
  console.log(`Epoch ${epoch + 1}/${epochs} completed. loss ${(lossSum / dataset.length).toFixed(4)}, accuracy ${((correct / dataset.length) * 100).toFixed(1)}%`);
}
await dataloader.close();
