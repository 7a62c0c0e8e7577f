/**
 * Output positions o in [0, outSize) whose input coordinate o * stride + start lies in
 * [0, inSize), as a half-open range [lo, hi) (empty when lo === hi). Lets sliding-window loops skip
 * padding without a bounds test per element.
 */
export function validRange(outSize: number, inSize: number, start: number, stride: number): [number, number] {
  const lo = start >= 0 ? 0 : Math.ceil(-start / stride);
  const last = inSize - 1 - start;
  const hi = last < 0 ? 0 : Math.min(outSize, Math.floor(last / stride) + 1);
  return lo < hi ? [lo, hi] : [0, 0];
}
