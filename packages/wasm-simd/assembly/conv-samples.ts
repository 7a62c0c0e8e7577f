// The convolution's three passes over a range of samples [n0, n1): each sample is unfolded
// (im2col) and multiplied, so that one call covers a worker thread's share of a batch. The
// products go through the host's gemm, which on the calling thread may split a large one over the
// idle helpers (a batch of one) and on a helper runs in place. Geometry as in conv.ts, with the
// groups and the output channels in extras 13 and 14. Strides are in elements.
import { col2im, im2col } from './conv';
import { extra } from './iter';

/** C tile product of the host: src/threads.ts's GemmCall, rows `N` elements apart. */
@external("env", "gemmHost")
declare function gemmHost(
  batch: i32, M: i32, K: i32, N: i32,
  a: usize, aBatch: i32, aRow: i32, aCol: i32,
  b: usize, bBatch: i32, bRow: i32, bCol: i32,
  out: usize, accumulate: bool,
): void;

@inline function groups(p: usize): i32 {
  return extra(p, 13);
}

@inline function outChannels(p: usize): i32 {
  return extra(p, 14);
}

/** Output positions per channel (the gemm's wide dimension). */
@inline function positions(p: usize): i32 {
  return extra(p, 5) * extra(p, 6);
}

/** Unfolded rows per group: input channels of a group times the kernel's taps. */
@inline function unfoldedRows(p: usize): i32 {
  return (extra(p, 0) / groups(p)) * extra(p, 3) * extra(p, 4);
}

/** out[n] = weight · im2col(x[n]) per group, for samples [n0, n1); out is contiguous [N, O, oH, oW]. */
export function convForward(n0: i32, n1: i32, x: usize, sN: i32, sC: i32, sH: i32, sW: i32, w: usize, out: usize, col: usize, p: usize): void {
  const G = groups(p), O = outChannels(p), Og = O / G, rows = unfoldedRows(p), L = positions(p);
  for (let n = n0; n < n1; n++) {
    im2col(x + <usize>(n * sN) * 4, sC, sH, sW, col, p);
    gemmHost(G, Og, rows, L, w, Og * rows, rows, 1, col, rows * L, L, 1, out + <usize>(n * O * L) * 4, false);
  }
}

/** dx[n] += col2im(weightᵀ · dy[n]) for samples [n0, n1); dy and dx are contiguous. */
export function convBackwardInput(n0: i32, n1: i32, dy: usize, w: usize, dx: usize, col: usize, p: usize): void {
  const G = groups(p), O = outChannels(p), Og = O / G, rows = unfoldedRows(p), L = positions(p);
  const sample = extra(p, 0) * extra(p, 1) * extra(p, 2);
  for (let n = n0; n < n1; n++) {
    gemmHost(G, rows, Og, L, w, Og * rows, 1, rows, dy + <usize>(n * O * L) * 4, Og * L, L, 1, col, false);
    col2im(col, dx + <usize>(n * sample) * 4, p);
  }
}

/** dw = the sum over samples [n0, n1) of dy[n] · im2col(x[n])ᵀ per group; dy is contiguous. */
export function convBackwardWeight(n0: i32, n1: i32, x: usize, sN: i32, sC: i32, sH: i32, sW: i32, dy: usize, dw: usize, col: usize, p: usize): void {
  const G = groups(p), O = outChannels(p), Og = O / G, rows = unfoldedRows(p), L = positions(p);
  for (let n = n0; n < n1; n++) {
    im2col(x + <usize>(n * sN) * 4, sC, sH, sW, col, p);
    gemmHost(G, Og, L, rows, dy + <usize>(n * O * L) * 4, Og * L, L, 1, col, rows * L, 1, L, dw, n > n0);
  }
}
