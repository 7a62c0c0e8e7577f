import type { AnyTypedArray, View } from '@flint/core';
import { Scratch } from '../scratch.ts';
import { dataOf, newArray } from '../storage.ts';

/** A strided batch of matrices: element [b, i, j] sits at offset + b * batch + i * row + j * col. */
export interface StridedMatrices {
  readonly data: Float32Array;
  readonly offset: number;
  readonly batch: number;
  readonly row: number;
  readonly col: number;
}

/** Register tile: MR x NR accumulators held in locals by {@link kernel4x4}. */
const MR = 4;
const NR = 4;
/** Cache blocks: an MC x KC packed A block stays in L2, a KC x NR packed B panel in L1. */
const MC = 128;
const KC = 256;
/** Columns per packed B slab, bounding the B scratch at K x NC. */
const NC = 512;

const aPackScratch = new Scratch((n) => new Float32Array(n));
const bPackScratch = new Scratch((n) => new Float32Array(n));
const accScratch = new Scratch((n) => new Float64Array(n));

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** Batched matmul of views a [B, M, K] and b [B, K, N] into a row-major [B, M, N] array. */
export function matmul(a: View, b: View): AnyTypedArray {
  const [batch, M, K] = a.shape;
  const N = b.shape[2];
  if (a.dtype === 'int32' || M * N * K <= SMALL_PRODUCT) return matmulDirect(a, b, batch, M, K, N);
  const out = newArray('float32', batch * M * N);
  gemm(batch, M, K, N, matrices(a), matrices(b), out, 0, false);
  return out;
}

/** Below this many multiply-adds per matrix, packing panels costs more than it saves. */
const SMALL_PRODUCT = 4096;

/**
 * Direct dot products on the strided operands: int32 products (which wrap, exactly, in int32
 * arithmetic) and small float32 ones. Float sums run over k in order in float64, as gemm's float64
 * tile does, so both float paths give identical results.
 */
function matmulDirect(a: View, b: View, batch: number, M: number, K: number, N: number): Float32Array | Int32Array {
  const int = a.dtype === 'int32';
  const out = newArray(a.dtype === 'int32' ? 'int32' : 'float32', batch * M * N);
  const A = dataOf(a);
  const B = dataOf(b);
  const [abs, ars, acs] = a.strides;
  const [bbs, brs, bcs] = b.strides;
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < M; i++) {
      const aRow = a.offset + bi * abs + i * ars;
      const bBase = b.offset + bi * bbs;
      const o = (bi * M + i) * N;
      let j = 0;
      if (!int) {
        // Four outputs per pass share each load of a[i, k].
        for (; j + 4 <= N; j += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let k = 0, ia = aRow, ib = bBase + j * bcs; k < K; k++, ia += acs, ib += brs) {
            const aik = A[ia];
            s0 += aik * B[ib];
            s1 += aik * B[ib + bcs];
            s2 += aik * B[ib + 2 * bcs];
            s3 += aik * B[ib + 3 * bcs];
          }
          out[o + j] = s0;
          out[o + j + 1] = s1;
          out[o + j + 2] = s2;
          out[o + j + 3] = s3;
        }
      }
      for (; j < N; j++) {
        let sum = 0;
        let ia = aRow;
        let ib = bBase + j * bcs;
        if (int) for (let k = 0; k < K; k++, ia += acs, ib += brs) sum = (sum + Math.imul(A[ia], B[ib])) | 0;
        else for (let k = 0; k < K; k++, ia += acs, ib += brs) sum += A[ia] * B[ib];
        out[o + j] = sum;
      }
    }
  }
  return out;
}

function matrices(v: View): StridedMatrices {
  const [batch, row, col] = v.strides;
  return { data: dataOf(v) as Float32Array, offset: v.offset, batch, row, col };
}

/**
 * out[o + (b * M + i) * N + j] (+)= sum_k a[b, i, k] * b[b, k, j] for float32 strided operands
 * into a row-major block of `out`, adding to it when `accumulate`.
 *
 * Goto-style blocking: per batch and NC-column slab, B is packed into NR-wide k-major panels; per
 * MC x KC block, A is packed into MR-tall k-major panels; a 4x4 register-tile kernel then sweeps
 * contiguous memory. Packing zero-pads partial panels so the kernel never branches on edges, and
 * results accumulate in a float64 tile so blocking over K costs no float32 rounding.
 */
export function gemm(
  batch: number, M: number, K: number, N: number,
  a: StridedMatrices, b: StridedMatrices,
  out: Float32Array, outOffset: number, accumulate: boolean,
): void {
  if (M === 0 || N === 0) return;
  // With a broadcast B and a single slab, the packed B from batch 0 serves every batch.
  const reuseB = b.batch === 0 && N <= NC;
  for (let bi = 0; bi < batch; bi++) {
    for (let j0 = 0; j0 < N; j0 += NC) {
      const nc = Math.min(NC, N - j0);
      const ncPad = roundUp(nc, NR);
      const bPack = bPackScratch.get(K * ncPad);
      if (bi === 0 || !reuseB) packB(b, bi, K, j0, nc, ncPad, bPack);
      for (let i0 = 0; i0 < M; i0 += MC) {
        const mc = Math.min(MC, M - i0);
        const mcPad = roundUp(mc, MR);
        const acc = accScratch.get(mcPad * ncPad);
        acc.fill(0, 0, mcPad * ncPad);
        for (let k0 = 0; k0 < K; k0 += KC) {
          const kc = Math.min(KC, K - k0);
          const aPack = aPackScratch.get(mcPad * kc);
          packA(a, bi, i0, mc, mcPad, k0, kc, aPack);
          for (let j = 0; j < ncPad; j += NR) {
            const bPanel = k0 * ncPad + j * kc;
            for (let i = 0; i < mcPad; i += MR) kernel4x4(aPack, i * kc, bPack, bPanel, kc, acc, i * ncPad + j, ncPad);
          }
        }
        let o = outOffset + (bi * M + i0) * N + j0;
        for (let i = 0; i < mc; i++, o += N) {
          const row = i * ncPad;
          if (accumulate) for (let j = 0; j < nc; j++) out[o + j] += acc[row + j];
          else for (let j = 0; j < nc; j++) out[o + j] = acc[row + j];
        }
      }
    }
  }
}

/**
 * Packs columns [j0, j0 + nc) of B (batch bi) as KC-row blocks of NR-wide panels: block k0 starts
 * at k0 * ncPad, its panel j at + j * kc, holding kc rows of NR values (zeros past column nc).
 */
function packB(b: StridedMatrices, bi: number, K: number, j0: number, nc: number, ncPad: number, dst: Float32Array): void {
  const { data, row, col } = b;
  const base = b.offset + bi * b.batch + j0 * col;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    for (let j = 0; j < ncPad; j += NR) {
      const width = Math.min(NR, nc - j);
      let d = k0 * ncPad + j * kc;
      for (let p = 0; p < kc; p++, d += NR) {
        const src = base + (k0 + p) * row + j * col;
        for (let c = 0; c < width; c++) dst[d + c] = data[src + c * col];
        for (let c = width; c < NR; c++) dst[d + c] = 0;
      }
    }
  }
}

/** Packs rows [i0, i0 + mc) x columns [k0, k0 + kc) of A (batch bi) as MR-tall k-major panels. */
function packA(
  a: StridedMatrices, bi: number, i0: number, mc: number, mcPad: number,
  k0: number, kc: number, dst: Float32Array,
): void {
  const { data, row, col } = a;
  const base = a.offset + bi * a.batch + i0 * row + k0 * col;
  for (let i = 0; i < mcPad; i += MR) {
    const height = Math.min(MR, mc - i);
    const panel = i * kc;
    for (let r = 0; r < MR; r++) {
      let d = panel + r;
      if (r >= height) {
        for (let p = 0; p < kc; p++, d += MR) dst[d] = 0;
        continue;
      }
      for (let p = 0, src = base + (i + r) * row; p < kc; p++, d += MR, src += col) dst[d] = data[src];
    }
  }
}

/** C[ci.., 4 x 4 with row stride ldc] += A panel (kc x 4) times B panel (kc x 4). */
function kernel4x4(
  A: Float32Array, ai: number, B: Float32Array, bi: number, kc: number,
  C: Float64Array, ci: number, ldc: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
    const a0 = A[ai], a1 = A[ai + 1], a2 = A[ai + 2], a3 = A[ai + 3];
    const b0 = B[bi], b1 = B[bi + 1], b2 = B[bi + 2], b3 = B[bi + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  C[ci] += c00; C[ci + 1] += c01; C[ci + 2] += c02; C[ci + 3] += c03;
  ci += ldc;
  C[ci] += c10; C[ci + 1] += c11; C[ci + 2] += c12; C[ci + 3] += c13;
  ci += ldc;
  C[ci] += c20; C[ci + 1] += c21; C[ci + 2] += c22; C[ci + 3] += c23;
  ci += ldc;
  C[ci] += c30; C[ci + 1] += c31; C[ci + 2] += c32; C[ci + 3] += c33;
}

