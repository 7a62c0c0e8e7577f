import type { Conv2dParams } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backends, expectClose, random, read, upload, view } from './helpers.ts';

/** a [M, K] times b [K, N], both row-major, in float64. */
function reference(a: number[], b: number[], M: number, K: number, N: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
      out.push(s);
    }
  }
  return out;
}

/** a row-major [rows, cols] matrix transposed. */
function transpose(m: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(m[i * cols + j]!);
  return out;
}

describe('matmul', () => {
  // Odd sizes leave partial register tiles; K > 256 spans two k-blocks, N > 1024 two column slabs.
  it.each([
    [300, 517, 190],
    [67, 33, 1030],
    [1, 700, 129],
    [5, 3, 2],
  ])('%i x %i x %i matches a float64 reference, plain and transposed operands', async (M, K, N) => {
    const { wasm } = await backends();
    const a = random(M * K, M).map(Math.fround);
    const b = random(K * N, N).map(Math.fround);
    const expected = reference(a, b, M, K, N);
    const tol = 2e-6 * Math.sqrt(K);
    const A = upload(wasm, a);
    const B = upload(wasm, b);
    const At = upload(wasm, transpose(a, M, K));
    const Bt = upload(wasm, transpose(b, K, N));
    const plain = wasm.matmul(view(A, [1, M, K]), view(B, [1, K, N]));
    expectClose(read(wasm, plain), expected, tol, tol);
    // Transposed storage read through strides: [M, K] with strides [1, M], [K, N] with [1, K].
    const strided = wasm.matmul(view(At, [1, M, K], [0, 1, M]), view(Bt, [1, K, N], [0, 1, K]));
    expectClose(read(wasm, strided), expected, tol, tol);
  });

  // Fewer than 48 rows go unpacked: the dot form (B's columns contiguous) and the row form (B's rows
  // contiguous), with partial tiles of rows (M % 4, odd M), of columns (N % 8, N % 4) and of k (K % 4),
  // and two k-blocks (K > 256); A transposed with B^T takes the packed path, checked alongside.
  it.each([
    [3, 7, 5],
    [47, 300, 13],
    [2, 1, 9],
    [5, 517, 12],
    [20, 4, 3],
    [33, 65, 7],
    [20, 256, 67],
  ])('%i x %i x %i (few rows) matches a float64 reference for every operand layout', async (M, K, N) => {
    const { wasm } = await backends();
    const a = random(M * K, M + 11).map(Math.fround);
    const b = random(K * N, N + 13).map(Math.fround);
    const expected = reference(a, b, M, K, N);
    const tol = 2e-6 * Math.sqrt(K);
    const A = view(upload(wasm, a), [1, M, K]);
    const B = view(upload(wasm, b), [1, K, N]);
    const At = view(upload(wasm, transpose(a, M, K)), [1, M, K], [0, 1, M]);
    const Bt = view(upload(wasm, transpose(b, K, N)), [1, K, N], [0, 1, K]);
    for (const [x, y] of [[A, B], [At, B], [A, Bt], [At, Bt]] as const) expectClose(read(wasm, wasm.matmul(x, y)), expected, tol, tol);
  });

  it('broadcasts a batch-0-stride operand and keeps batches apart', async () => {
    const { wasm } = await backends();
    const a = random(3 * 6 * 10, 4).map(Math.fround);
    const b = random(10 * 9, 5).map(Math.fround);
    const out = read(wasm, wasm.matmul(view(upload(wasm, a), [3, 6, 10]), view(upload(wasm, b), [3, 10, 9], [0, 9, 1])));
    for (let bi = 0; bi < 3; bi++) {
      expectClose(out.slice(bi * 54, (bi + 1) * 54), reference(a.slice(bi * 60, (bi + 1) * 60), b, 6, 10, 9), 1e-5, 1e-6);
    }
  });

  it('int32 products wrap exactly', async () => {
    const { wasm } = await backends();
    const a = upload(wasm, [65536, 3, 123456789, -7], 'int32');
    const b = upload(wasm, [65536, 2, 5, 987654321], 'int32');
    const out = read(wasm, wasm.matmul(view(a, [1, 2, 2]), view(b, [1, 2, 2])));
    const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));
    expect(out).toEqual([
      wrap(65536n * 65536n + 3n * 5n), wrap(65536n * 2n + 3n * 987654321n),
      wrap(123456789n * 65536n - 7n * 5n), wrap(123456789n * 2n - 7n * 987654321n),
    ]);
  });
});

describe('conv2d', () => {
  const params: Conv2dParams = { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 };

  it('forward and both gradients match cpu-js on a grouped, strided, dilated case with a strided input', async () => {
    const { wasm, cpu } = await backends();
    const [N, C, H, W, O, kH, kW] = [3, 4, 9, 11, 6, 3, 2];
    const x = random(N * C * H * W, 7);
    const w = random(O * (C / 2) * kH * kW, 8);
    // x is stored [N, H, W, C] and read as [N, C, H, W] through strides.
    const xStrides = [H * W * C, 1, W * C, C];
    const xNhwc: number[] = new Array(x.length);
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let q = 0; q < W; q++) {
      xNhwc[n * H * W * C + h * W * C + q * C + c] = x[((n * C + c) * H + h) * W + q]!;
    }
    const run = (b: typeof wasm) => {
      const xs = view(upload(b, xNhwc), [N, C, H, W], xStrides);
      const ws = view(upload(b, w), [O, C / 2, kH, kW]);
      const y = b.conv2d(xs, ws, params);
      const yShape = [N, O, 5, 13];
      expect(y.size).toBe(yShape.reduce((p, q) => p * q, 1));
      const dy = view(upload(b, random(y.size, 9)), yShape);
      return [read(b, y), read(b, b.conv2dBackwardInput(dy, ws, [N, C, H, W], params)), read(b, b.conv2dBackwardWeight(xs, dy, ws.shape, params))];
    };
    const got = run(wasm);
    const want = run(cpu);
    for (let i = 0; i < 3; i++) expectClose(got[i]!, want[i]!, 1e-5, 1e-5);
  });
});
