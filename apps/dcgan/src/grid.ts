/** A batch of images as one PNG grid, as torchvision's `save_image(..., normalize=True)` writes it. */
import { writeFileSync } from 'node:fs';
import * as flint from '@flint/core';
import { PNG } from 'pngjs';

export interface GridOptions {
  /** Images per row (8, as torchvision's default). */
  nrow?: number;
  /** Black pixels between and around the images (2, as torchvision's default). */
  padding?: number;
}

/**
 * Writes images [N, 1, H, W] as a grayscale PNG: scaled so the batch's minimum is black and its
 * maximum white, laid out `nrow` to a row.
 * @example await saveGrid(netG.forward(fixedNoise), 'out/fake_samples_epoch_001.png');
 */
export async function saveGrid(images: flint.Tensor, path: string, { nrow = 8, padding = 2 }: GridOptions = {}): Promise<void> {
  if (images.ndim !== 4 || images.shape[1] !== 1) throw new RangeError(`saveGrid(): expected images [N, 1, H, W], got [${images.shape.join(', ')}]`);
  const [n, , h, w] = images.shape as [number, number, number, number];
  const values = await images.data();
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  // torchvision divides by max(hi - lo, 1e-5), so a constant batch comes out black, not NaN.
  const scale = 255 / Math.max(hi - lo, 1e-5);
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const png = new PNG({ width: cols * (w + padding) + padding, height: rows * (h + padding) + padding, colorType: 0 });
  png.data.fill(0);
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = 255;
  for (let k = 0; k < n; k++) {
    const [top, left] = [Math.floor(k / cols) * (h + padding) + padding, (k % cols) * (w + padding) + padding];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const grey = Math.round((values[(k * h + y) * w + x]! - lo) * scale);
        const at = ((top + y) * png.width + left + x) * 4;
        png.data[at] = png.data[at + 1] = png.data[at + 2] = grey;
      }
    }
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: 0 }));
}
