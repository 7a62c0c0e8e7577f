/**
 * Digits drawn as a visitor draws them: strokes (polylines) in pad coordinates, (0, 0) the top
 * left corner and (1, 1) the bottom right.
 */
export type Stroke = readonly (readonly [number, number])[];

/** An ellipse around (0.5, 0.5), as one closed stroke. */
const ellipse = (rx: number, ry: number): Stroke =>
  Array.from({ length: 33 }, (_, i) => [0.5 + rx * Math.sin((i / 32) * 2 * Math.PI), 0.5 - ry * Math.cos((i / 32) * 2 * Math.PI)] as const);

/** The digits the browser test draws, by the class they should get. */
export const DIGITS: ReadonlyMap<number, readonly Stroke[]> = new Map([
  [0, [ellipse(0.22, 0.32)]],
  [1, [[[0.52, 0.18], [0.5, 0.5], [0.48, 0.82]]]],
  [7, [[[0.28, 0.2], [0.72, 0.2], [0.58, 0.5], [0.45, 0.82]]]],
]);
