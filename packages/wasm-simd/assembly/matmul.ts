// Matrix products. Float32 goes through a Goto-style gemm: B is packed into k-major panels NR = 8
// wide, A into panels MR = 4 tall (each value splatted), and a 4x8 register tile (eight f32x4
// accumulators; larger tiles, or unrolling k, spill in V8 on x64: its scheduler hoists every load
// of the loop body) sweeps them. A single-row product takes a direct vector path instead.
// Products of few rows go unpacked (matmul-small.ts). Strides are in elements; matrices may be
// arbitrary strided views.
import { madd } from './madd';
import { smallGemm, smallGemmFits } from './matmul-small';

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 64;
const NC = 1024;

/** Bytes of an edge tile: partial tiles are computed there before their valid part is copied out. */
const EDGE_BYTES = MR * NR * 4;

/** Bytes of packing scratch that {@link gemm} needs for A (plus its edge tile) and for B. */
export function packABytes(): i32 {
  return MC * KC * 16 + EDGE_BYTES;
}
export function packBBytes(): i32 {
  return KC * NC * 4;
}

@inline function roundUp(n: i32, m: i32): i32 {
  return ((n + m - 1) / m) * m;
}

/**
 * Writes the 4x4 block whose rows are 4 consecutive floats at s, s + ld, s + 2 ld, s + 3 ld
 * (ld in elements) transposed: row t of the result goes to d + t * NR floats.
 */
@inline function transpose4(s: usize, ld: i32, d: usize): void {
  const step = <usize>ld * 4;
  const r0 = v128.load(s), r1 = v128.load(s + step), r2 = v128.load(s + 2 * step), r3 = v128.load(s + 3 * step);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(d + NR * 4, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(d + 2 * NR * 4, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(d + 3 * NR * 4, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** Packs rows [k0, k0 + kc) x columns [j0, j0 + nc) of B as NR-wide panels, zero-padded. */
function packB(b: usize, row: i32, col: i32, k0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const ncPad = roundUp(nc, NR);
  for (let j = 0; j < ncPad; j += NR) {
    const width = min(NR, nc - j);
    const panel = dst + <usize>(j * kc) * 4;
    const src = b + <usize>(k0 * row + (j0 + j) * col) * 4;
    if (row == 1) {
      // B stored transposed (a weight read as W^T): each column is contiguous along k, so full
      // panels go by 4x4 blocks transposed in registers.
      let k = 0;
      if (width == NR) {
        const half = <usize>(4 * col) * 4;
        for (; k + 4 <= kc; k += 4) {
          const d = panel + <usize>(k * NR) * 4;
          const s = src + (<usize>k << 2);
          transpose4(s, col, d);
          transpose4(s + half, col, d + 16);
        }
      }
      for (let c = 0; c < NR; c++) {
        let d = panel + <usize>(k * NR + c) * 4;
        if (c >= width) {
          for (let q = k; q < kc; q++, d += NR * 4) store<f32>(d, 0);
          continue;
        }
        let s = src + <usize>(c * col + k) * 4;
        for (let q = k; q < kc; q++, d += NR * 4, s += 4) store<f32>(d, load<f32>(s));
      }
      continue;
    }
    let d = panel;
    for (let k = 0; k < kc; k++, d += NR * 4) {
      const s = src + <usize>(k * row) * 4;
      if (width == NR && col == 1) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        continue;
      }
      for (let c = 0; c < width; c++) store<f32>(d + (<usize>c << 2), load<f32>(s + <usize>(c * col) * 4));
      for (let c = width; c < NR; c++) store<f32>(d + (<usize>c << 2), 0);
    }
  }
}

/**
 * Packs rows [i0, i0 + mc) x columns [k0, k0 + kc) of A as MR-tall k-major panels, zero-padded,
 * each value splatted to a whole vector: the tile then reads A with plain vector loads, which V8
 * addresses with a folded offset (a splatting load costs it an extra address computation).
 */
function packA(a: usize, row: i32, col: i32, i0: i32, mc: i32, k0: i32, kc: i32, dst: usize): void {
  const mcPad = roundUp(mc, MR);
  const step = <usize>col * 4;
  for (let i = 0; i < mcPad; i += MR) {
    const panel = dst + <usize>(i * kc) * 16;
    for (let r = 0; r < MR; r++) {
      let d = panel + (<usize>r << 4);
      if (i + r >= mc) {
        for (let k = 0; k < kc; k++, d += MR * 16) v128.store(d, f32x4.splat(0));
        continue;
      }
      let s = a + <usize>((i0 + i + r) * row + k0 * col) * 4;
      for (let k = 0; k < kc; k++, d += MR * 16, s += step) v128.store(d, v128.load32_splat(s));
    }
  }
}

/**
 * C tile (rows x cols of a 4x8 tile at c, row stride ldc elements) = or += A panel times B panel
 * over kc: `add` keeps what C holds.
 */
function kernel4x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, add: bool, edgeTile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = bp + <usize>kc * NR * 4;
  for (; bp < end; ap += MR * 16, bp += NR * 4) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load(ap, 16);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load(ap, 32);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load(ap, 48);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
  }
  const full = rows == MR && cols == NR;
  const dst = full ? c : edgeTile;
  const ld: usize = full ? <usize>ldc * 4 : NR * 4;
  if (full && add) {
    c00 = f32x4.add(c00, v128.load(dst)); c01 = f32x4.add(c01, v128.load(dst, 16));
    c10 = f32x4.add(c10, v128.load(dst + ld)); c11 = f32x4.add(c11, v128.load(dst + ld, 16));
    c20 = f32x4.add(c20, v128.load(dst + 2 * ld)); c21 = f32x4.add(c21, v128.load(dst + 2 * ld, 16));
    c30 = f32x4.add(c30, v128.load(dst + 3 * ld)); c31 = f32x4.add(c31, v128.load(dst + 3 * ld, 16));
  }
  v128.store(dst, c00); v128.store(dst, c01, 16);
  v128.store(dst + ld, c10); v128.store(dst + ld, c11, 16);
  v128.store(dst + 2 * ld, c20); v128.store(dst + 2 * ld, c21, 16);
  v128.store(dst + 3 * ld, c30); v128.store(dst + 3 * ld, c31, 16);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const q = c + (<usize>(r * ldc + j) << 2);
      const v = load<f32>(edgeTile + (<usize>(r * NR + j) << 2));
      store<f32>(q, add ? load<f32>(q) + v : v);
    }
  }
}

/** out[j] (+)= sum_k a[k] * b[k, j]: one output row, so no packing. */
function gemv(a: usize, aCol: i32, b: usize, bRow: i32, bCol: i32, K: i32, N: i32, out: usize, accumulate: bool): void {
  if (bCol == 1) {
    // Streams B's rows: out += a[k] * b[k, :], out staying in cache.
    if (!accumulate) memory.fill(out, 0, <usize>N * 4);
    for (let k = 0; k < K; k++) {
      const av = v128.load32_splat(a + <usize>(k * aCol) * 4);
      const s = av;
      const row = b + <usize>(k * bRow) * 4;
      let j = 0;
      for (; j + 4 <= N; j += 4) {
        const q = out + (<usize>j << 2);
        v128.store(q, madd(s, v128.load(row + (<usize>j << 2)), v128.load(q)));
      }
      const ak = f32x4.extract_lane(av, 0);
      for (; j < N; j++) {
        const q = out + (<usize>j << 2);
        store<f32>(q, load<f32>(q) + ak * load<f32>(row + (<usize>j << 2)));
      }
    }
    return;
  }
  for (let j = 0; j < N; j++) {
    const colBase = b + <usize>(j * bCol) * 4;
    let sum: f32 = 0;
    let k = 0;
    if (aCol == 1 && bRow == 1) {
      let v0 = f32x4.splat(0), v1 = f32x4.splat(0);
      for (; k + 8 <= K; k += 8) {
        v0 = madd(v128.load(a + (<usize>k << 2)), v128.load(colBase + (<usize>k << 2)), v0);
        v1 = madd(v128.load(a + (<usize>k << 2), 16), v128.load(colBase + (<usize>k << 2), 16), v1);
      }
      const v = f32x4.add(v0, v1);
      sum = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
    }
    for (; k < K; k++) sum += load<f32>(a + <usize>(k * aCol) * 4) * load<f32>(colBase + <usize>(k * bRow) * 4);
    const q = out + (<usize>j << 2);
    store<f32>(q, accumulate ? load<f32>(q) + sum : sum);
  }
}

/**
 * Batched float32 product: out[b, i, j] (+)= sum_k a[b, i, k] * b[b, k, j] into `out`, whose rows
 * are `ldc` elements apart (N for a whole row-major [batch, M, N] block; more for a column block of
 * a wider product). `pa`/`pb` are scratch areas of {@link packABytes} and {@link packBBytes} bytes;
 * threads running gemms at once each need their own.
 */
export function gemm(
  batch: i32, M: i32, K: i32, N: i32,
  a: usize, aBatch: i32, aRow: i32, aCol: i32,
  b: usize, bBatch: i32, bRow: i32, bCol: i32,
  out: usize, ldc: i32, accumulate: bool, pa: usize, pb: usize,
): void {
  const edge = pa + MC * KC * 16;
  for (let bi = 0; bi < batch; bi++) {
    const A = a + <usize>(bi * aBatch) * 4;
    const B = b + <usize>(bi * bBatch) * 4;
    const C = out + <usize>(bi * M * ldc) * 4;
    if (M == 1) {
      gemv(A, aCol, B, bRow, bCol, K, N, C, accumulate);
      continue;
    }
    if (K == 0) {
      if (!accumulate) for (let i = 0; i < M; i++) memory.fill(C + <usize>(i * ldc) * 4, 0, <usize>N * 4);
      continue;
    }
    if (smallGemmFits(M, aCol, bRow, bCol)) {
      smallGemm(M, K, N, A, aRow, aCol, B, bRow, bCol, C, ldc, accumulate);
      continue;
    }
    for (let j0 = 0; j0 < N; j0 += NC) {
      const nc = min(NC, N - j0);
      for (let k0 = 0; k0 < K; k0 += KC) {
        const kc = min(KC, K - k0);
        packB(B, bRow, bCol, k0, kc, j0, nc, pb);
        const add = accumulate || k0 > 0;
        for (let i0 = 0; i0 < M; i0 += MC) {
          const mc = min(MC, M - i0);
          packA(A, aRow, aCol, i0, mc, k0, kc, pa);
          for (let j = 0; j < nc; j += NR) {
            const bp = pb + <usize>(j * kc) * 4;
            const cols = min(NR, nc - j);
            for (let i = 0; i < mc; i += MR) {
              const c = C + <usize>((i0 + i) * ldc + j0 + j) * 4;
              kernel4x8(pa + <usize>(i * kc) * 16, bp, kc, c, ldc, min(MR, mc - i), cols, add, edge);
            }
          }
        }
      }
    }
  }
}

/** Batched int32 product with wrapping arithmetic, by direct dot products. */
export function matmulInt(
  batch: i32, M: i32, K: i32, N: i32,
  a: usize, aBatch: i32, aRow: i32, aCol: i32,
  b: usize, bBatch: i32, bRow: i32, bCol: i32,
  out: usize,
): void {
  let o = out;
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < M; i++) {
      const aRowBase = a + <usize>(bi * aBatch + i * aRow) * 4;
      for (let j = 0; j < N; j++, o += 4) {
        let sum: i32 = 0;
        let ia = aRowBase;
        let ib = b + <usize>(bi * bBatch + j * bCol) * 4;
        for (let k = 0; k < K; k++, ia += <usize>aCol * 4, ib += <usize>bRow * 4) sum += load<i32>(ia) * load<i32>(ib);
        store<i32>(o, sum);
      }
    }
  }
}
