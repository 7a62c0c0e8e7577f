import type { View } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backend, expectClose, f32, random, read, upload, view } from './helpers.ts';

const b = backend();

/** Plain float64 triple loop over strided [B, M, K] x [B, K, N]. */
function naive(A: number[], a: View, B: number[], bv: View): number[] {
  const [batch, M, K] = a.shape;
  const N = bv.shape[2];
  const out: number[] = [];
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) {
          acc +=
            A[a.offset + p * a.strides[0] + i * a.strides[1] + k * a.strides[2]] *
            B[bv.offset + p * bv.strides[0] + k * bv.strides[1] + j * bv.strides[2]];
        }
        out.push(acc);
      }
    }
  }
  return out;
}

/** Random operands laid out as requested; `transA`/`transB` store the inner matrices column-major. */
function check(batch: number, M: number, K: number, N: number, opts: { transA?: boolean; transB?: boolean; broadcastA?: boolean; broadcastB?: boolean; offset?: number } = {}): void {
  const off = opts.offset ?? 0;
  const aBatches = opts.broadcastA ? 1 : batch;
  const bBatches = opts.broadcastB ? 1 : batch;
  const A = f32(random(off + aBatches * M * K, M * 31 + K));
  const B = f32(random(off + bBatches * K * N, N * 17 + K + 1));
  const a = view(upload(b, A), [batch, M, K], [opts.broadcastA ? 0 : M * K, opts.transA ? 1 : K, opts.transA ? M : 1], off);
  const bv = view(upload(b, B), [batch, K, N], [opts.broadcastB ? 0 : K * N, opts.transB ? 1 : N, opts.transB ? K : 1], off);
  const out = b.matmul(a, bv);
  expect(out.dtype).toBe('float32');
  expect(out.size).toBe(batch * M * N);
  expectClose(read(b, out), naive(A, a, B, bv), 1e-5, 1e-5);
}

describe('matmul float32', () => {
  it('1x1x1', () => {
    const out = b.matmul(view(upload(b, [3]), [1, 1, 1]), view(upload(b, [-2]), [1, 1, 1]));
    expect(read(b, out)).toEqual([-6]);
  });

  it('a hand-worked 2x3 by 3x2', () => {
    const a = view(upload(b, [1, 2, 3, 4, 5, 6]), [1, 2, 3]);
    const bv = view(upload(b, [7, 8, 9, 10, 11, 12]), [1, 3, 2]);
    expect(read(b, b.matmul(a, bv))).toEqual([58, 64, 139, 154]);
  });

  it('odd sizes 3x5x7', () => check(1, 3, 5, 7));
  it('sizes crossing the register tile 70x130x65', () => check(1, 70, 130, 65));
  it('sizes crossing every cache block 131x300x520', () => check(1, 131, 300, 520));
  it('batched 3 x 17x33x9', () => check(3, 17, 33, 9));
  it('transposed A', () => check(2, 13, 21, 6, { transA: true }));
  it('transposed B', () => check(2, 13, 21, 6, { transB: true }));
  it('both transposed with an offset', () => check(2, 9, 10, 11, { transA: true, transB: true, offset: 5 }));
  it('broadcast B (batch stride 0)', () => check(4, 5, 6, 7, { broadcastB: true }));
  it('broadcast B wider than one column slab', () => check(2, 3, 4, 600, { broadcastB: true }));
  it('broadcast A (batch stride 0), transposed B', () => check(3, 6, 5, 4, { broadcastA: true, transB: true }));
  it('vector shapes', () => {
    check(1, 1, 40, 1);
    check(2, 1, 7, 9);
    check(2, 9, 7, 1);
  });

  it('K = 0 gives zeros, M = 0 gives an empty result', () => {
    const empty = upload(b, []);
    expect(read(b, b.matmul(view(empty, [1, 2, 0]), view(empty, [1, 0, 3])))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(b.matmul(view(empty, [2, 0, 3]), view(upload(b, [1, 2, 3]), [2, 3, 1], [0, 1, 1])).size).toBe(0);
  });

  it('returns the same result on repeated calls (scratch reuse)', () => {
    const a = view(upload(b, f32(random(12, 1))), [1, 3, 4]);
    const bv = view(upload(b, f32(random(8, 2))), [1, 4, 2]);
    const first = read(b, b.matmul(a, bv));
    check(1, 40, 50, 30);
    expect(read(b, b.matmul(a, bv))).toEqual(first);
  });
});

describe('matmul int32', () => {
  it('multiplies and wraps', () => {
    const a = view(upload(b, [1, 2, 3, 4, 5, 6], 'int32'), [1, 2, 3]);
    const bv = view(upload(b, [7, 8, 9, 10, 11, 12], 'int32'), [1, 3, 2]);
    const out = b.matmul(a, bv);
    expect(out.dtype).toBe('int32');
    expect(read(b, out)).toEqual([58, 64, 139, 154]);
    const big = b.matmul(view(upload(b, [65536, 65536, 2147483647], 'int32'), [1, 1, 3]), view(upload(b, [65536, 1, 1], 'int32'), [1, 3, 1]));
    // 2^32 + 2^16 + (2^31 - 1) wraps to 2^16 + 2^31 - 1 - 2^32 = -2147418113.
    expect(read(b, big)).toEqual([-2147418113]);
  });

  it('honours transposed and broadcast strides', () => {
    // a = [[1, 2], [3, 4]] stored column-major; b broadcast over 2 batches.
    const a = view(upload(b, [1, 3, 2, 4, 5, 7, 6, 8], 'int32'), [2, 2, 2], [4, 1, 2]);
    const bv = view(upload(b, [1, 0, 1, 1], 'int32'), [2, 2, 2], [0, 2, 1]);
    expect(read(b, b.matmul(a, bv))).toEqual([3, 2, 7, 4, 11, 6, 15, 8]);
  });
});
