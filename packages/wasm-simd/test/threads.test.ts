import { describe, expect, it } from 'vitest';
import { createWasmBackend, setNumThreads, wasmInfo } from '../src/index.ts';
import { expectClose, random, read, upload, view } from './helpers.ts';

describe('threads', () => {
  it('report the chosen mode', async () => {
    await createWasmBackend();
    const info = wasmInfo();
    expect(info.simd).toBe(true);
    // Node has SharedArrayBuffer and worker_threads, so the backend starts with helpers.
    expect(info.threads).toBeGreaterThan(1);
    expect(typeof info.relaxedSimd).toBe('boolean');
  });

  // Tall products split by rows, short wide ones by columns.
  it.each([
    [203, 150, 97],
    [37, 300, 203],
  ])('a %i x %i x %i product split over threads equals the single-threaded one bit for bit', async (M, K, N) => {
    // Helpers start with the backend; two threads split the product in two.
    setNumThreads(2);
    const b = await createWasmBackend();
    const a = upload(b, random(M * K, 1));
    const w = upload(b, random(N * K, 2));
    // x @ w.T, as a linear layer computes it.
    const product = () => read(b, b.matmul(view(a, [1, M, K]), view(w, [1, K, N], [0, 1, K])));
    setNumThreads(1);
    const single = product();
    expect(wasmInfo().threads).toBe(1);
    setNumThreads(2);
    expect(product()).toEqual(single);
  });

  // Batches split by samples (the calling thread and a helper take half each); a batch of one
  // runs its products through the calling thread, which may split them.
  it.each([
    { N: 6, C: 3, O: 16, groups: 1 },
    { N: 5, C: 4, O: 16, groups: 2 },
    { N: 1, C: 16, O: 32, groups: 1 },
  ])('a convolution over threads ($N samples, $C -> $O channels, $groups groups) agrees with one thread', async ({ N, C, O, groups }) => {
    setNumThreads(2);
    const b = await createWasmBackend();
    const [H, W, k] = [32, 32, 3];
    const params = { stride: [1, 1] as [number, number], padding: [1, 1] as [number, number], dilation: [1, 1] as [number, number], groups };
    // x as a strided (channels-last) view, so the unfolding reads through strides.
    const x = view(upload(b, random(N * C * H * W, 3)), [N, C, H, W], [H * W * C, 1, W * C, C]);
    const weight = view(upload(b, random(O * (C / groups) * k * k, 4)), [O, C / groups, k, k]);
    const dy = view(upload(b, random(N * O * H * W, 5)), [N, O, H, W]);
    const passes = () => [
      read(b, b.conv2d(x, weight, params)),
      read(b, b.conv2dBackwardInput(dy, weight, [N, C, H, W], params)),
      read(b, b.conv2dBackwardWeight(x, dy, weight.shape, params)),
    ];
    setNumThreads(1);
    const [forward, input, filter] = passes();
    setNumThreads(2);
    const [forward2, input2, filter2] = passes();
    expect(forward2).toEqual(forward);
    expect(input2).toEqual(input);
    // Each thread sums its own samples' weight gradients, so the sum is rounded in another order.
    expectClose(filter2!, filter!, 1e-5, 1e-5);
  });

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => setNumThreads(0)).toThrow(/positive integer/);
    expect(() => setNumThreads(1.5)).toThrow(/positive integer/);
  });
});
