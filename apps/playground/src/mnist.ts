/** MNIST in the page: the IDX files fetched from the server, and batches made from their bytes. */
import * as flint from '@flint/core';
import { parseIdx } from './idx.ts';

/** Mean and standard deviation of MNIST's pixels (scaled to [0, 1]), as torchvision's example normalises. */
const MEAN = 0.1307;
const STD = 0.3081;

/** Pixels per image. */
export const PIXELS = 28 * 28;

/** One split: `count` images of 28x28 bytes, row-major, and their labels 0-9. */
export interface Split {
  readonly count: number;
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

export interface Mnist {
  readonly train: Split;
  readonly test: Split;
}

async function fetchIdx(base: URL, name: string): Promise<ReturnType<typeof parseIdx>> {
  const response = await fetch(new URL(name, base));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} ${response.statusText}`);
  return parseIdx(new Uint8Array(await response.arrayBuffer()), name);
}

async function fetchSplit(base: URL, prefix: 'train' | 't10k'): Promise<Split> {
  const [images, labels] = await Promise.all([fetchIdx(base, `${prefix}-images-idx3-ubyte`), fetchIdx(base, `${prefix}-labels-idx1-ubyte`)]);
  if (images.shape[0] !== labels.shape[0] || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new Error(`${prefix}: expected [N, 28, 28] images and [N] labels, got [${images.shape.join(', ')}] and [${labels.shape.join(', ')}]`);
  }
  return { count: labels.shape[0]!, images: images.data, labels: labels.data };
}

/**
 * Fetches the four IDX files from `base` (the bytes stay bytes: 55 MB rather than 220 MB of floats;
 * batches are normalised as they are made).
 */
export async function fetchMnist(base: URL): Promise<Mnist> {
  const [train, test] = await Promise.all([fetchSplit(base, 'train'), fetchSplit(base, 't10k')]);
  return { train, test };
}

/** A pixel in [0, 1] as the models see it. */
export function normalise(value: number): number {
  return (value - MEAN) / STD;
}

/** Images [B, 1, 28, 28] (float32, normalised) and labels [B] (int32) of the images at `indices`, on `device`. */
export function batch(split: Split, indices: readonly number[], device: string): [flint.Tensor, flint.Tensor] {
  const pixels = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, row) => {
    const image = split.images.subarray(index * PIXELS, (index + 1) * PIXELS);
    for (let p = 0; p < PIXELS; p++) pixels[row * PIXELS + p] = normalise(image[p]! / 255);
    labels[row] = split.labels[index]!;
  });
  return flint.tidy(() => [flint.tensor(pixels, { device }).reshape(indices.length, 1, 28, 28), flint.tensor(labels, { device })]);
}
