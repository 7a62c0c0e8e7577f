/** The PNG grid: layout, padding and min-max scaling as torchvision's save_image(normalize=True), read back with pngjs. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { saveGrid } from '../src/grid.ts';

describe('saveGrid', () => {
  beforeAll(() => flint.setBackend('cpu'));

  it('lays 3 images of 2x2 out 2 to a row with 1-pixel padding, the minimum black and the maximum white', async () => {
    // Values -1..1 in steps: -1 maps to 0, 1 to 255, 0 to round(127.5) = 128.
    const images = flint.tensor([[[[-1, 0], [1, 0.5]]], [[[0, 0], [0, 0]]], [[[1, 1], [-1, -1]]]]);
    const path = join(mkdtempSync(join(tmpdir(), 'dcgan-grid-')), 'grid.png');
    await saveGrid(images, path, { nrow: 2, padding: 1 });
    images.dispose();
    const png = PNG.sync.read(readFileSync(path));
    // 2 columns and 2 rows of 2 pixels, with padding before, between and after: 7 x 7.
    expect([png.width, png.height]).toEqual([7, 7]);
    const grey = Array.from({ length: 7 }, (_, y) => Array.from({ length: 7 }, (_, x) => png.data[(y * 7 + x) * 4]));
    expect(grey).toEqual([
      [0, 0, 0, 0, 0, 0, 0],
      [0, 0, 128, 0, 128, 128, 0],
      [0, 255, 191, 0, 128, 128, 0],
      [0, 0, 0, 0, 0, 0, 0],
      [0, 255, 255, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('rejects anything but single-channel image batches', async () => {
    const flat = flint.zeros([4, 28, 28]);
    await expect(saveGrid(flat, join(tmpdir(), 'never.png'))).rejects.toThrow('saveGrid(): expected images [N, 1, H, W], got [4, 28, 28]');
    flat.dispose();
  });
});
