// Products with few rows. Packing B costs about as much as a product whose every B panel serves a
// handful of row tiles (a recurrent step multiplies [batch, hidden] by a [hidden, 4 hidden]
// weight: M = 20), so these kernels read both operands where they lie. The form follows B:
// - B's columns contiguous along k (a weight read as W^T) and A's rows contiguous: dot products,
//   a 2x4 tile of per-lane partial sums, each reduced across its lanes once at the end;
// - B's rows contiguous: A's values splatted against 8-wide rows of B in a 4x8 tile, k in blocks
//   that keep a B panel in L1 across the row tiles.
// Rows past M in a partial tile repeat the last row (valid memory, never stored).
import { madd } from './madd';

/** Products with fewer rows than this take these kernels when B's layout allows. */
export const SMALL_ROWS = 48;
/** Rows of k in one block of the row-form kernel: a 8-wide B panel of it is 8 KiB. */
const KB = 256;

/** Whether {@link smallGemm} handles a product of M rows with these strides. */
export function smallGemmFits(M: i32, aCol: i32, bRow: i32, bCol: i32): bool {
  return M < SMALL_ROWS && ((bRow == 1 && aCol == 1) || bCol == 1);
}

/** [sum(s0), sum(s1), sum(s2), sum(s3)]: four vectors' lanes reduced, by two transposing steps. */
@inline function laneSums(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const u01 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 1, 5), v128.shuffle<f32>(s0, s1, 2, 6, 3, 7));
  const u23 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 1, 5), v128.shuffle<f32>(s2, s3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), v128.shuffle<f32>(u01, u23, 2, 3, 6, 7));
}

/** Sum of a[k] * b[k] over the k in [from, K) (contiguous floats): the tail a vector loop left. */
@inline function dotTail(a: usize, b: usize, from: i32, K: i32): f32 {
  let sum: f32 = 0;
  for (let k = from; k < K; k++) sum += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return sum;
}

/** Stores `v` (+ what is there, with `add`) at c, or only its first `count` lanes. */
@inline function store4(c: usize, v: v128, count: i32, add: bool): void {
  if (count == 4) {
    v128.store(c, add ? f32x4.add(v, v128.load(c)) : v);
    return;
  }
  for (let j = 0; j < count; j++) {
    const q = c + (<usize>j << 2);
    const x = f32x4.extract_lane(v, 0);
    store<f32>(q, add ? load<f32>(q) + x : x);
    v = v128.shuffle<f32>(v, v, 1, 2, 3, 0);
  }
}

/** Dot form: out[i, j] (+)= A row i . B column j, A rows `lda` and B columns `ldb` floats apart. */
function dotRows(M: i32, K: i32, N: i32, a: usize, lda: i32, b: usize, ldb: i32, out: usize, ldc: i32, add: bool): void {
  const K4 = K & ~3;
  for (let j = 0; j < N; j += 4) {
    const cols = min(4, N - j);
    // Columns past N in a partial tile repeat the last column, like rows past M.
    const b0 = b + <usize>(j * ldb) * 4;
    const b1 = b + <usize>(min(j + 1, N - 1) * ldb) * 4;
    const b2 = b + <usize>(min(j + 2, N - 1) * ldb) * 4;
    const b3 = b + <usize>(min(j + 3, N - 1) * ldb) * 4;
    for (let i = 0; i < M; i += 2) {
      const a0 = a + <usize>(i * lda) * 4;
      const a1 = a + <usize>(min(i + 1, M - 1) * lda) * 4;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        let y = v128.load(b0 + o);
        s00 = madd(x0, y, s00); s10 = madd(x1, y, s10);
        y = v128.load(b1 + o);
        s01 = madd(x0, y, s01); s11 = madd(x1, y, s11);
        y = v128.load(b2 + o);
        s02 = madd(x0, y, s02); s12 = madd(x1, y, s12);
        y = v128.load(b3 + o);
        s03 = madd(x0, y, s03); s13 = madd(x1, y, s13);
      }
      let r0 = laneSums(s00, s01, s02, s03);
      let r1 = laneSums(s10, s11, s12, s13);
      if (K4 < K) {
        r0 = f32x4.add(r0, f32x4(dotTail(a0, b0, K4, K), dotTail(a0, b1, K4, K), dotTail(a0, b2, K4, K), dotTail(a0, b3, K4, K)));
        r1 = f32x4.add(r1, f32x4(dotTail(a1, b0, K4, K), dotTail(a1, b1, K4, K), dotTail(a1, b2, K4, K), dotTail(a1, b3, K4, K)));
      }
      const c = out + <usize>(i * ldc + j) * 4;
      store4(c, r0, cols, add);
      if (i + 1 < M) store4(c + <usize>ldc * 4, r1, cols, add);
    }
  }
}

/**
 * Row form: out[i, j..j+8) (+)= sum_k A[i, k] B[k, j..j+8), A's values read splatted at strides
 * (aRow, aCol), B's rows `ldb` floats apart. A partial tile of columns is computed 4 (or 1) wide.
 */
function splatRows(M: i32, K: i32, N: i32, a: usize, aRow: i32, aCol: i32, b: usize, ldb: i32, out: usize, ldc: i32, accumulate: bool): void {
  const aStep = <usize>aCol * 4;
  const bStep = <usize>ldb * 4;
  for (let k0 = 0; k0 < K; k0 += KB) {
    const kc = min(KB, K - k0);
    const add = accumulate || k0 > 0;
    for (let j = 0; j < N; j += 8) {
      const cols = min(8, N - j);
      for (let i = 0; i < M; i += 4) {
        const rows = min(4, M - i);
        const a0 = a + <usize>(i * aRow + k0 * aCol) * 4;
        const a1 = a + <usize>(min(i + 1, M - 1) * aRow + k0 * aCol) * 4;
        const a2 = a + <usize>(min(i + 2, M - 1) * aRow + k0 * aCol) * 4;
        const a3 = a + <usize>(min(i + 3, M - 1) * aRow + k0 * aCol) * 4;
        const bp = b + <usize>(k0 * ldb + j) * 4;
        const c = out + <usize>(i * ldc + j) * 4;
        if (cols == 8) tile4x8(a0, a1, a2, a3, aStep, bp, bStep, kc, c, ldc, rows, add);
        else tileNarrow(a0, a1, a2, a3, aStep, bp, bStep, kc, c, ldc, rows, cols, add);
      }
    }
  }
}

@inline function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  v128.store(c, add ? f32x4.add(lo, v128.load(c)) : lo);
  v128.store(c, add ? f32x4.add(hi, v128.load(c, 16)) : hi, 16);
}

function tile4x8(a0: usize, a1: usize, a2: usize, a3: usize, aStep: usize, bp: usize, bStep: usize, kc: i32, c: usize, ldc: i32, rows: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++, a0 += aStep, a1 += aStep, a2 += aStep, a3 += aStep, bp += bStep) {
    const y0 = v128.load(bp), y1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, y0, c00); c01 = madd(x, y1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, y0, c10); c11 = madd(x, y1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, y0, c20); c21 = madd(x, y1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, y0, c30); c31 = madd(x, y1, c31);
  }
  const ld = <usize>ldc * 4;
  storeRow(c, c00, c01, add);
  if (rows > 1) storeRow(c + ld, c10, c11, add);
  if (rows > 2) storeRow(c + 2 * ld, c20, c21, add);
  if (rows > 3) storeRow(c + 3 * ld, c30, c31, add);
}

/** The last, narrower than 8, columns of a row-form tile: 4 wide while 4 remain, then one at a time. */
function tileNarrow(a0: usize, a1: usize, a2: usize, a3: usize, aStep: usize, bp: usize, bStep: usize, kc: i32, c: usize, ldc: i32, rows: i32, cols: i32, add: bool): void {
  const ld = <usize>ldc * 4;
  for (let j = 0; j < cols; ) {
    const width = cols - j >= 4 ? 4 : 1;
    let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
    let p0 = a0, p1 = a1, p2 = a2, p3 = a3;
    let q = bp + (<usize>j << 2);
    for (let k = 0; k < kc; k++, p0 += aStep, p1 += aStep, p2 += aStep, p3 += aStep, q += bStep) {
      const y = width == 4 ? v128.load(q) : v128.load32_splat(q);
      c0 = madd(v128.load32_splat(p0), y, c0);
      c1 = madd(v128.load32_splat(p1), y, c1);
      c2 = madd(v128.load32_splat(p2), y, c2);
      c3 = madd(v128.load32_splat(p3), y, c3);
    }
    const cj = c + (<usize>j << 2);
    store4(cj, c0, width, add);
    if (rows > 1) store4(cj + ld, c1, width, add);
    if (rows > 2) store4(cj + 2 * ld, c2, width, add);
    if (rows > 3) store4(cj + 3 * ld, c3, width, add);
    j += width;
  }
}

/** out (+)= A B for one matrix of M < {@link SMALL_ROWS} rows whose strides {@link smallGemmFits}. */
export function smallGemm(M: i32, K: i32, N: i32, a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, ldc: i32, accumulate: bool): void {
  if (bRow == 1 && aCol == 1) dotRows(M, K, N, a, aRow, b, bCol, out, ldc, accumulate);
  else splatRows(M, K, N, a, aRow, aCol, b, bRow, out, ldc, accumulate);
}
