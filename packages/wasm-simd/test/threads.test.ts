import { describe, expect, it } from 'vitest';
import { createWasmBackend, setNumThreads, wasmInfo } from '../src/index.ts';
import { random, read, upload, view } from './helpers.ts';

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

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => setNumThreads(0)).toThrow(/positive integer/);
    expect(() => setNumThreads(1.5)).toThrow(/positive integer/);
  });
});
