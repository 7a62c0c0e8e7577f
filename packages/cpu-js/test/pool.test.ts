import type { Pool2dParams, View } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { backend, f32, random, read, upload, view } from './helpers.ts';

const b = backend();

const pool = (kernel: [number, number], stride: [number, number], padding: [number, number], dilation: [number, number], outSize: [number, number]): Pool2dParams => ({
  kernel, stride, padding, dilation, outSize,
});

function run(x: View, p: Pool2dParams): { values: number[]; indices: number[] } {
  const { values, indices } = b.maxPool2d(x, p);
  expect(indices.dtype).toBe('int32');
  expect(values.dtype).toBe(x.dtype);
  return { values: read(b, values), indices: read(b, indices) };
}

describe('maxPool2d', () => {
  // x = 1..16 as [1, 1, 4, 4]
  const grid = () => view(upload(b, Array.from({ length: 16 }, (_, i) => i + 1)), [1, 1, 4, 4]);

  it('2x2 stride 2', () => {
    expect(run(grid(), pool([2, 2], [2, 2], [0, 0], [1, 1], [2, 2]))).toEqual({ values: [6, 8, 14, 16], indices: [5, 7, 13, 15] });
  });

  it('padding is never selected', () => {
    expect(run(grid(), pool([2, 2], [2, 2], [1, 1], [1, 1], [3, 3]))).toEqual({
      values: [1, 3, 4, 9, 11, 12, 13, 15, 16],
      indices: [0, 2, 3, 8, 10, 11, 12, 14, 15],
    });
    // All-negative input: zero padding would win if padding were not -Infinity.
    const neg = view(upload(b, Array.from({ length: 16 }, (_, i) => -(i + 1))), [1, 1, 4, 4]);
    expect(run(neg, pool([3, 3], [2, 2], [1, 1], [1, 1], [2, 2]))).toEqual({ values: [-1, -2, -5, -6], indices: [0, 1, 4, 5] });
  });

  it('first maximum wins ties', () => {
    const x = view(upload(b, [5, 5, 1, 5, 2, 2, 2, 2, 0]), [1, 1, 3, 3]);
    expect(run(x, pool([2, 2], [1, 1], [0, 0], [1, 1], [2, 2]))).toEqual({ values: [5, 5, 5, 2], indices: [0, 1, 3, 4] });
  });

  it('NaN in a window is the maximum (last NaN index, as PyTorch CPU)', () => {
    const x = view(upload(b, [1, NaN, 3, 9, 4, NaN, NaN, 0, 2]), [1, 1, 3, 3]);
    const { values, indices } = run(x, pool([2, 2], [1, 1], [0, 0], [1, 1], [2, 2]));
    expect(values).toEqual([NaN, NaN, NaN, NaN]);
    expect(indices).toEqual([1, 5, 6, 5]);
  });

  it('-Infinity everywhere reports the first in-bounds position', () => {
    const x = view(upload(b, new Array(9).fill(-Infinity)), [1, 1, 3, 3]);
    expect(run(x, pool([2, 2], [2, 2], [1, 1], [1, 1], [2, 2]))).toEqual({
      values: [-Infinity, -Infinity, -Infinity, -Infinity],
      indices: [0, 1, 3, 4],
    });
  });

  it('matches a naive window scan with dilation, padding, several planes and strided input', () => {
    const [N, C, H, W] = [2, 3, 7, 8];
    const data = f32(random(N * C * H * W, 21));
    // Channels-last storage read as NCHW.
    const x = view(upload(b, data), [N, C, H, W], [H * W * C, 1, W * C, C]);
    const configs: Pool2dParams[] = [
      pool([3, 3], [2, 2], [1, 1], [1, 1], [4, 4]),
      pool([2, 3], [1, 2], [1, 0], [2, 2], [6, 3]),
      pool([3, 2], [3, 3], [1, 1], [1, 1], [3, 3]),
      // ceil_mode-style extra output whose window runs past the input edge.
      pool([2, 2], [2, 2], [0, 0], [1, 1], [4, 4]),
    ];
    for (const p of configs) {
      const values: number[] = [];
      const indices: number[] = [];
      for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let oh = 0; oh < p.outSize[0]; oh++) for (let ow = 0; ow < p.outSize[1]; ow++) {
        let best = -Infinity;
        let bestIndex = -1;
        for (let i = 0; i < p.kernel[0]; i++) for (let j = 0; j < p.kernel[1]; j++) {
          const h = oh * p.stride[0] - p.padding[0] + i * p.dilation[0];
          const w = ow * p.stride[1] - p.padding[1] + j * p.dilation[1];
          if (h < 0 || h >= H || w < 0 || w >= W) continue;
          const v = data[n * H * W * C + h * W * C + w * C + c];
          if (bestIndex < 0 || v > best) {
            best = v;
            bestIndex = h * W + w;
          }
        }
        values.push(best);
        indices.push(bestIndex);
      }
      expect(run(x, p)).toEqual({ values, indices });
    }
  });

  it('pools int32', () => {
    const x = view(upload(b, [3, -1, 7, 2], 'int32'), [1, 1, 2, 2]);
    expect(run(x, pool([2, 2], [1, 1], [0, 0], [1, 1], [1, 1]))).toEqual({ values: [7], indices: [2] });
  });
});
