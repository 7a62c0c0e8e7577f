/**
 * A drawing turned into an MNIST-like image, as MNIST's digits were made: the ink's bounding box
 * scaled (keeping its aspect ratio, averaging areas) to fit a 20x20 box, then placed in the 28x28
 * image with its centre of mass at the centre.
 */

/** Side of the box the digit's larger side is scaled to. */
const BOX = 20;
/** Side of the image. */
const SIDE = 28;
/** Intensities at or below this count as background when finding the ink. */
const INK = 0.02;

/** Area-averages `length` samples (at `offset + i * stride` of `src`) onto `target` samples. */
function resample(src: Float32Array, offset: number, stride: number, length: number, target: number): Float32Array {
  const out = new Float32Array(target);
  const scale = length / target;
  for (let t = 0; t < target; t++) {
    const from = t * scale;
    const to = from + scale;
    let sum = 0;
    for (let i = Math.floor(from); i < Math.min(Math.ceil(to), length); i++) {
      sum += src[offset + i * stride]! * (Math.min(to, i + 1) - Math.max(from, i));
    }
    out[t] = sum / scale;
  }
  return out;
}

/** The smallest rectangle holding every pixel above {@link INK}, or null when there is none. */
function inkBounds(pixels: Float32Array, width: number, height: number): { x: number; y: number; w: number; h: number } | null {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[y * width + x]! <= INK) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * The 28x28 image (row-major, intensities in [0, 1]) of a drawing of `width` x `height`
 * intensities in [0, 1] (ink high); null when nothing is drawn.
 */
export function toMnist(pixels: Float32Array, width: number, height: number): Float32Array | null {
  if (pixels.length !== width * height) throw new Error(`toMnist: ${width}x${height} needs ${width * height} pixels, got ${pixels.length}`);
  const box = inkBounds(pixels, width, height);
  if (!box) return null;
  const scale = BOX / Math.max(box.w, box.h);
  const w = Math.max(1, Math.round(box.w * scale));
  const h = Math.max(1, Math.round(box.h * scale));
  // Rows first (each to w samples), then the columns of the result (each to h samples).
  const rows = new Float32Array(box.h * w);
  for (let y = 0; y < box.h; y++) rows.set(resample(pixels, (box.y + y) * width + box.x, 1, box.w, w), y * w);
  const small = new Float32Array(h * w);
  for (let x = 0; x < w; x++) resample(rows, x, w, box.h, h).forEach((v, y) => (small[y * w + x] = v));
  let [mass, mx, my] = [0, 0, 0];
  small.forEach((v, i) => {
    mass += v;
    mx += v * ((i % w) + 0.5);
    my += v * (Math.floor(i / w) + 0.5);
  });
  const clamp = (offset: number, size: number): number => Math.min(Math.max(offset, 0), SIDE - size);
  const left = clamp(Math.round(SIDE / 2 - mx / mass), w);
  const top = clamp(Math.round(SIDE / 2 - my / mass), h);
  const image = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < h; y++) image.set(small.subarray(y * w, (y + 1) * w), (top + y) * SIDE + left);
  return image;
}
