/**
 * A 784-128-10 network on MNIST, written from flint's core ops with manual SGD: the loop a PyTorch
 * user knows (batches, forward, loss, backward, update, zero grads, epochs).
 *
 *   pnpm example -- --epochs 1 --batch-size 64 --lr 0.1
 */
import { parseArgs } from 'node:util';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { loadMnist, type Split } from './mnist.ts';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.1' },
    'train-limit': { type: 'string', default: '60000' },
    seed: { type: 'string', default: '0' },
  },
});
const epochs = Number(args.epochs);
const batchSize = Number(args['batch-size']);
const lr = Number(args.lr);

await flint.init();
flint.manualSeed(Number(args.seed));
const train = loadMnist('train');
const test = loadMnist('t10k');
const trainCount = Math.min(train.count, Number(args['train-limit']));

/** PyTorch's Linear init: uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
function linear(fanIn: number, fanOut: number): [flint.Tensor, flint.Tensor] {
  const bound = 1 / Math.sqrt(fanIn);
  const uniform = (shape: number[]): flint.Tensor => flint.tidy(() => flint.rand(shape).mul(2 * bound).sub(bound)).requiresGrad_();
  return [uniform([fanIn, fanOut]), uniform([fanOut])];
}
const [w1, b1] = linear(784, 128);
const [w2, b2] = linear(128, 10);
const params = [w1, b1, w2, b2];
const forward = (x: flint.Tensor): flint.Tensor => x.matmul(w1).add(b1).relu().matmul(w2).add(b2);

function batch(split: Split, indices: ArrayLike<number>): [flint.Tensor, flint.Tensor] {
  const x = new Float32Array(indices.length * 784);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    x.set(split.images.subarray(k * 784, (k + 1) * 784), i * 784);
    y[i] = split.labels[k]!;
  }
  return [flint.tensor(x).reshape(-1, 784), flint.tensor(y)];
}

function accuracy(split: Split): number {
  let correct = 0;
  for (let start = 0; start < split.count; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, split.count - start) }, (_, i) => start + i);
    correct += flint.tidy(() =>
      flint.noGrad(() => {
        const [x, y] = batch(split, ids);
        return forward(x).argmax(1).eq(y).sum().itemSync();
      }),
    );
  }
  return correct / split.count;
}

for (let epoch = 1; epoch <= epochs; epoch++) {
  const order = flint.tidy(() => flint.randperm(trainCount).dataSync());
  let running = 0;
  const started = performance.now();
  const steps = Math.floor(trainCount / batchSize);
  for (let step = 0; step < steps; step++) {
    const loss = flint.tidy(() => {
      const [x, y] = batch(train, order.subarray(step * batchSize, (step + 1) * batchSize));
      const logProbs = forward(x).logSoftmax(1);
      const nll = logProbs.gather(1, y.unsqueeze(1)).mean().neg();
      nll.backward();
      flint.noGrad(() => {
        for (const p of params) {
          p.sub_(p.grad!.mul(lr));
          p.grad!.zero_();
        }
      });
      return nll.itemSync();
    });
    running += loss;
    if ((step + 1) % 200 === 0) {
      console.log(`epoch ${epoch} step ${step + 1}/${steps} loss ${(running / 200).toFixed(4)}`);
      running = 0;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`epoch ${epoch}: ${(steps / seconds).toFixed(1)} steps/s, test accuracy ${(accuracy(test) * 100).toFixed(2)}%`);
}
console.log('memory after training:', JSON.stringify(flint.memory()));
