/**
 * The script of the test page (bundled by esbuild, run in Chromium): starts the wasm backend, runs a
 * product large enough to split and a few training steps on one and on two threads, checks the
 * product against a float64 reference computed here, and leaves its findings in `globalThis.report`.
 */
import * as flint from '@flint/core';
import { setNumThreads, wasmInfo } from '@flint/wasm-simd';

/** What the page found; test/browser.test.ts asserts on it. */
export interface PageReport {
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** `wasmInfo()` once the backend has started. */
  readonly threads: number;
  readonly relaxedSimd: boolean;
  /** Elements of the product that differ between one and two threads. */
  readonly splitMismatches: number;
  /** max |product - reference| / sum_k |a_ik b_kj|, which rounding bounds by (K + 1) 2^-24. */
  readonly productError: number;
  /** The product on two threads (row-major [M, N]). */
  readonly product: number[];
  /** Losses of the training steps on one and on two threads. */
  readonly losses: { readonly one: number[]; readonly two: number[] };
}

/** The product's sizes: about 50M multiply-adds, far above the threshold for splitting. */
const M = 256;
const K = 512;
const N = 384;

interface PageGlobals {
  crossOriginIsolated?: boolean;
  navigator: { hardwareConcurrency: number };
  report?: Promise<PageReport>;
}
const page = globalThis as unknown as PageGlobals;

/** Float32 contents of a tensor, read back as the backend holds them. */
function values(t: flint.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** The largest error of `product` relative to the float64 sum of |a_ik b_kj| of its element. */
function productError(a: Float32Array, b: Float32Array, product: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      let magnitude = 0;
      for (let k = 0; k < K; k++) {
        const term = a[i * K + k]! * b[k * N + j]!;
        sum += term;
        magnitude += Math.abs(term);
      }
      worst = Math.max(worst, Math.abs(product[i * N + j]! - sum) / magnitude);
    }
  }
  return worst;
}

/** Five SGD steps of a small MLP on fixed random data; returns the losses. */
function train(threads: number): number[] {
  setNumThreads(threads);
  flint.manualSeed(7);
  const net = new flint.nn.Sequential(new flint.nn.Linear(256, 128), new flint.nn.ReLU(), new flint.nn.Linear(128, 10));
  const x = flint.randn([64, 256]);
  const y = flint.randint(0, 10, [64]);
  const optimizer = new flint.optim.SGD(net.parameters(), { lr: 0.1 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    const loss = flint.tidy(() => {
      const l = flint.nn.functional.crossEntropy(net.forward(x), y);
      optimizer.zeroGrad();
      l.backward();
      optimizer.step();
      return l.detach();
    });
    losses.push(loss.itemSync());
    loss.dispose();
  }
  net.dispose();
  x.dispose();
  y.dispose();
  return losses;
}

async function check(): Promise<PageReport> {
  // One reported core would mean one thread by default: ask for two, so the pool is exercised.
  if (page.navigator.hardwareConcurrency < 2) setNumThreads(2);
  await flint.setBackend('wasm');
  const { threads, relaxedSimd } = wasmInfo();
  flint.manualSeed(1);
  const a = flint.randn([M, K]);
  const b = flint.randn([K, N]);
  setNumThreads(1);
  const single = values(a.matmul(b));
  setNumThreads(2);
  const split = values(a.matmul(b));
  let splitMismatches = 0;
  for (let i = 0; i < split.length; i++) if (!Object.is(split[i], single[i])) splitMismatches++;
  return {
    crossOriginIsolated: page.crossOriginIsolated === true,
    hardwareConcurrency: page.navigator.hardwareConcurrency,
    threads,
    relaxedSimd,
    splitMismatches,
    productError: productError(values(a), values(b), split),
    product: Array.from(split),
    losses: { one: train(1), two: train(2) },
  };
}

page.report = check();
