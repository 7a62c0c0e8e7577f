import { describe, expect, it } from 'vitest';
import { toMnist } from '../src/digit.ts';

/** A width x height drawing with the rectangle [x, x + w) x [y, y + h) inked at `value`. */
function drawing(width: number, height: number, rect: { x: number; y: number; w: number; h: number }, value = 1): Float32Array {
  const pixels = new Float32Array(width * height);
  for (let y = rect.y; y < rect.y + rect.h; y++) pixels.fill(value, y * width + rect.x, y * width + rect.x + rect.w);
  return pixels;
}

/** The inked rows and columns of a 28x28 image, as [first, last] pairs. */
function extent(image: Float32Array): { rows: [number, number]; cols: [number, number] } {
  const rows: number[] = [];
  const cols: number[] = [];
  image.forEach((v, i) => {
    if (v > 0) {
      rows.push(Math.floor(i / 28));
      cols.push(i % 28);
    }
  });
  return { rows: [Math.min(...rows), Math.max(...rows)], cols: [Math.min(...cols), Math.max(...cols)] };
}

describe('toMnist', () => {
  it('scales a square to 20x20 and centres it: rows and columns 4 to 23', () => {
    const image = toMnist(drawing(280, 280, { x: 0, y: 0, w: 100, h: 100 }), 280, 280)!;
    expect(extent(image)).toEqual({ rows: [4, 23], cols: [4, 23] });
    expect(image[4 * 28 + 4]).toBeCloseTo(1, 6);
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(400, 3);
  });

  it('keeps the aspect ratio: a 40x200 bar becomes 4x20, centred by its mass', () => {
    const image = toMnist(drawing(280, 280, { x: 200, y: 50, w: 40, h: 200 }), 280, 280)!;
    // Centre of mass at column 2 of 4 lands on column 14: columns 12-15; rows 4-23.
    expect(extent(image)).toEqual({ rows: [4, 23], cols: [12, 15] });
  });

  it('averages areas: a 30x30 square of 0.5 over a 40x40 drawing keeps its mean intensity', () => {
    const image = toMnist(drawing(40, 40, { x: 5, y: 5, w: 30, h: 30 }, 0.5), 40, 40)!;
    expect(Math.max(...image)).toBeCloseTo(0.5, 6);
    expect(image.reduce((a, b) => a + b, 0)).toBeCloseTo(0.5 * 400, 3);
  });

  it('centres by mass, not by the box: an L puts its heavy side nearer the middle', () => {
    // A 100x100 L: a 20-wide vertical bar on the left and a 20-high bar along the bottom.
    const pixels = drawing(100, 100, { x: 0, y: 0, w: 20, h: 100 });
    for (let y = 80; y < 100; y++) pixels.fill(1, y * 100, y * 100 + 100);
    // Scaled by 0.2 to 20x20, bars 4 wide: 144 inked pixels whose centre of mass is at
    // x = (80 * 2 + 64 * 12) / 144 = 6.44 and y = (64 * 8 + 80 * 18) / 144 = 13.56, so the box
    // starts at column round(14 - 6.44) = 8 and row round(14 - 13.56) = 0 (a centred box: 4 and 4).
    expect(extent(toMnist(pixels, 100, 100)!)).toEqual({ rows: [0, 19], cols: [8, 27] });
  });

  it('gives null for an empty drawing, and refuses a pixel count that does not match the size', () => {
    expect(toMnist(new Float32Array(28 * 28), 28, 28)).toBeNull();
    expect(() => toMnist(new Float32Array(10), 4, 4)).toThrow('toMnist: 4x4 needs 16 pixels, got 10');
  });
});
