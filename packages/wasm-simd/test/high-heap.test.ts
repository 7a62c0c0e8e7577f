// Tensors at and above 2 GiB of the wasm memory: addresses there do not fit a signed 32-bit
// number, so every path that forms or passes one (reads, uploads, the kernels' parameter blocks,
// scalar cells, the product callbacks, the worker threads' control blocks) is checked across the
// boundary and near wasm32's 4 GiB limit. Padding is allocated but never written, so it costs
// address space rather than resident memory. Expected values are computed here in plain JS.
import type { Backend, Storage } from '@flint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmStorage } from '../src/heap.ts';
import { createWasmBackend, setNumThreads, wasmInfo } from '../src/index.ts';
import { expectClose, random, read, upload, view } from './helpers.ts';

const GIB = 2 ** 30;
const TWO_GIB = 2 * GIB;
const FOUR_GIB = 4 * GIB;

let b: Backend;
const padding: Storage[] = [];

/** Byte address of a storage of this backend. */
const addressOf = (s: Storage) => wasmStorage(s).ptr;

/**
 * Pads the heap's bump pointer up to byte address `target` (a multiple of 16 above it) with blocks
 * of power-of-two sizes, each its own size class, so that the next new block starts at `target`.
 */
function padTo(target: number): void {
  // Two adjacent probes come from the bump pointer, not from a free list.
  let last = b.alloc(16, 'bool');
  padding.push(last);
  for (;;) {
    const probe = b.alloc(16, 'bool');
    padding.push(probe);
    if (addressOf(probe) === addressOf(last) + 16) break;
    last = probe;
  }
  let cursor = addressOf(padding.at(-1)!) + 16;
  for (let size = 2 ** 31; size >= 16; size /= 2) {
    while (target - cursor >= size) {
      const block = b.alloc(size, 'bool');
      padding.push(block);
      // A recycled block is held and the size tried again.
      if (addressOf(block) === cursor) cursor += size;
    }
  }
  expect(cursor).toBe(target);
}

/** Whether `s` lies across, or wholly above, byte address 2^31. */
const straddles = (s: Storage, bytes: number) => addressOf(s) < TWO_GIB && addressOf(s) + s.size * bytes > TWO_GIB;

const f32 = (x: number) => Math.fround(x);

/** Every kernel family over operands starting at byte address `at` (outputs and scratch follow). */
function checkKernels(label: string, at: number): void {
  describe(label, () => {
    // Operands, uploaded right at `at`: the first straddles the boundary when `at` is just below it.
    let x: Storage;
    let xs: number[];
    const R = 64;
    const C = 96;
    beforeAll(() => {
      padTo(at);
      xs = random(R * C, 11);
      x = upload(b, xs);
      expect(addressOf(x)).toBe(at);
      expect(straddles(x, 4)).toBe(at < TWO_GIB);
    });

    it('uploads and reads back (readSync and read)', async () => {
      expectClose(read(b, x), xs.map(f32), 0);
      expectClose(await b.read(x), xs.map(f32), 0);
    });

    it('fills and aranges', () => {
      const a = b.arange(1000, 0, 1, 'float32');
      expect(addressOf(a)).toBeGreaterThan(at);
      expect(read(b, a)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      const i = b.arange(5, 3, 2, 'int32');
      expect(read(b, i)).toEqual([3, 5, 7, 9, 11]);
      expect(read(b, b.fill(7, 2.5, 'float32'))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    });

    it('unary and binary with broadcasting and scalars', () => {
      expectClose(read(b, b.unary('exp', view(x, [R, C]))), xs.map(Math.exp), 1e-6);
      const row = random(C, 12);
      const r = upload(b, row);
      const sum = read(b, b.binary('add', view(x, [R, C]), view(r, [R, C], [0, 1])));
      expectClose(sum, xs.map((v, k) => f32(f32(v) + f32(row[k % C]!))), 0);
      // A scalar operand sits in the runtime's scalar cells.
      expectClose(read(b, b.binary('mul', view(x, [R, C]), 3)), xs.map((v) => f32(f32(v) * 3)), 0);
      const gt = read(b, b.binary('gt', view(x, [R, C]), 0));
      expect(gt).toEqual(xs.map((v) => (f32(v) > 0 ? 1 : 0)));
      // A strided (transposed) operand walks the outer-dimension iterator.
      const t = read(b, b.unary('neg', view(x, [C, R], [1, C])));
      expectClose(t, Array.from({ length: C * R }, (_, k) => -f32(xs[(k % R) * C + Math.floor(k / R)]!)), 0);
    });

    it('where, cast, strided copy and max pooling', () => {
      const mask = b.binary('gt', view(x, [R, C]), 0);
      expectClose(read(b, b.where(view(mask, [R, C]), view(x, [R, C]), -1)), xs.map((v) => (f32(v) > 0 ? f32(v) : -1)), 0);
      expect(read(b, b.cast(view(x, [R, C]), 'int32'))).toEqual(xs.map((v) => Math.trunc(f32(v)) + 0));
      // Copy x's transpose into a fresh buffer.
      const dst = b.alloc(R * C, 'float32');
      b.copy(view(x, [C, R], [1, C]), view(dst, [C, R]));
      expectClose(read(b, dst), Array.from({ length: C * R }, (_, k) => f32(xs[(k % R) * C + Math.floor(k / R)]!)), 0);
      // 2x2 windows, stride 2, over x as [1, 1, R, C].
      const { values, indices } = b.maxPool2d(view(x, [1, 1, R, C]), { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], outSize: [R / 2, C / 2] });
      const best: number[] = [];
      const where: number[] = [];
      for (let h = 0; h < R; h += 2)
        for (let w = 0; w < C; w += 2) {
          const taps = [h * C + w, h * C + w + 1, (h + 1) * C + w, (h + 1) * C + w + 1];
          const top = taps.reduce((m, t) => (f32(xs[t]!) > f32(xs[m]!) ? t : m));
          best.push(f32(xs[top]!));
          where.push(top);
        }
      expectClose(read(b, values), best, 0);
      expect(read(b, indices)).toEqual(where);
    });

    it('reductions and cumsum', () => {
      const rowSums = Array.from({ length: R }, (_, i) => xs.slice(i * C, (i + 1) * C).reduce((s, v) => s + f32(v), 0));
      expectClose(read(b, b.reduce('sum', view(x, [R, C]), [1])), rowSums, 1e-5, 1e-5);
      const colMax = Array.from({ length: C }, (_, j) => Math.max(...Array.from({ length: R }, (_, i) => f32(xs[i * C + j]!))));
      expectClose(read(b, b.reduce('max', view(x, [R, C]), [0])), colMax, 0);
      const argmax = Array.from({ length: R }, (_, i) => {
        const line = xs.slice(i * C, (i + 1) * C);
        return line.indexOf(Math.max(...line));
      });
      expect(read(b, b.reduce('argmax', view(x, [R, C]), [1]))).toEqual(argmax);
      const cum = xs.map((_, k) => xs.slice(Math.floor(k / C) * C, k + 1).reduce((s, v) => s + f32(v), 0));
      expectClose(read(b, b.cumsum(view(x, [R, C]), 1)), cum, 1e-5, 1e-5);
    });

    it('gather and scatterAdd', () => {
      const idx = Array.from({ length: R * 4 }, (_, k) => (k * 37) % C);
      const index = upload(b, idx, 'int32');
      const gathered = read(b, b.gather(view(x, [R, C]), 1, view(index, [R, 4])));
      expectClose(gathered, idx.map((j, k) => f32(xs[Math.floor(k / 4) * C + j]!)), 0);
      const base = b.fill(R * C, 1, 'float32');
      const src = upload(b, random(R * 4, 13));
      const srcValues = read(b, src);
      const expected = Array.from({ length: R * C }, () => 1);
      idx.forEach((j, k) => {
        const at = Math.floor(k / 4) * C + j;
        expected[at] = f32(expected[at]! + srcValues[k]!);
      });
      expectClose(read(b, b.scatterAdd(view(base, [R, C]), 1, view(index, [R, 4]), view(src, [R, 4]))), expected, 0);
    });

    it('matmul, float32 and int32', () => {
      const K = C;
      const N = 40;
      const ws = random(K * N, 14);
      const w = upload(b, ws);
      const expected = Array.from({ length: R * N }, (_, k) => {
        const i = Math.floor(k / N);
        const j = k % N;
        let s = 0;
        for (let q = 0; q < K; q++) s += f32(xs[i * C + q]!) * f32(ws[q * N + j]!);
        return s;
      });
      expectClose(read(b, b.matmul(view(x, [1, R, K]), view(w, [1, K, N]))), expected, 1e-4, 1e-5);
      const ia = upload(b, [1, 2, 3, 4, 5, 6], 'int32');
      const ib = upload(b, [7, 8, 9, 10, 11, 12], 'int32');
      expect(read(b, b.matmul(view(ia, [1, 2, 3]), view(ib, [1, 3, 2])))).toEqual([58, 64, 139, 154]);
    });

    it('conv2d and its gradients', () => {
      // x [2, 3, 5, 5], w [4, 3, 3, 3], padding 1: each output a 27-tap sum, computed here directly.
      const xv = random(2 * 3 * 25, 15);
      const wv = random(4 * 27, 16);
      const cx = upload(b, xv);
      const cw = upload(b, wv);
      const params = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 } as const;
      const tap = (arr: number[], n: number, c: number, h: number, w: number) =>
        h < 0 || h >= 5 || w < 0 || w >= 5 ? 0 : f32(arr[((n * 3 + c) * 5 + h) * 5 + w]!);
      const expected: number[] = [];
      for (let n = 0; n < 2; n++)
        for (let o = 0; o < 4; o++)
          for (let h = 0; h < 5; h++)
            for (let w = 0; w < 5; w++) {
              let s = 0;
              for (let c = 0; c < 3; c++)
                for (let i = 0; i < 3; i++)
                  for (let j = 0; j < 3; j++) s += tap(xv, n, c, h + i - 1, w + j - 1) * f32(wv[((o * 3 + c) * 3 + i) * 3 + j]!);
              expected.push(s);
            }
      expectClose(read(b, b.conv2d(view(cx, [2, 3, 5, 5]), view(cw, [4, 3, 3, 3]), params)), expected, 1e-5, 1e-5);
      // With dy all ones, dw[o, c, i, j] is the sum over samples and positions of the tapped input.
      const dy = b.fill(2 * 4 * 25, 1, 'float32');
      const dw: number[] = [];
      for (let o = 0; o < 4; o++)
        for (let c = 0; c < 3; c++)
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 3; j++) {
              let s = 0;
              for (let n = 0; n < 2; n++) for (let h = 0; h < 5; h++) for (let w = 0; w < 5; w++) s += tap(xv, n, c, h + i - 1, w + j - 1);
              dw.push(s);
            }
      expectClose(read(b, b.conv2dBackwardWeight(view(cx, [2, 3, 5, 5]), view(dy, [2, 4, 5, 5]), [4, 3, 3, 3], params)), dw, 1e-5, 1e-5);
      // dx[n, c, h, w] is the sum of the weights whose tap reaches (h, w).
      const dx: number[] = [];
      for (let n = 0; n < 2; n++)
        for (let c = 0; c < 3; c++)
          for (let h = 0; h < 5; h++)
            for (let w = 0; w < 5; w++) {
              let s = 0;
              for (let o = 0; o < 4; o++)
                for (let i = 0; i < 3; i++)
                  for (let j = 0; j < 3; j++) {
                    const oh = h - i + 1;
                    const ow = w - j + 1;
                    if (oh >= 0 && oh < 5 && ow >= 0 && ow < 5) s += f32(wv[((o * 3 + c) * 3 + i) * 3 + j]!);
                  }
              dx.push(s);
            }
      expectClose(read(b, b.conv2dBackwardInput(view(dy, [2, 4, 5, 5]), view(cw, [4, 3, 3, 3]), [2, 3, 5, 5], params)), dx, 1e-5, 1e-5);
    });

    it('fused softmax, SGD and Adam', () => {
      const soft = Array.from({ length: R * C }, (_, k) => {
        const i = Math.floor(k / C);
        const line = xs.slice(i * C, (i + 1) * C).map(f32);
        const m = Math.max(...line);
        return Math.exp(f32(xs[k]!) - m) / line.reduce((s, v) => s + Math.exp(v - m), 0);
      });
      expectClose(read(b, b.fused!.softmax!(view(x, [R, C]), 1, false)), soft, 1e-5, 1e-7);
      const n = 1000;
      const pv = random(n, 17);
      const gv = random(n, 18);
      const param = upload(b, pv);
      const grad = upload(b, gv);
      b.fused!.sgdStep!(view(param, [n]), view(grad, [n]), undefined, {
        lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, newBuffer: false,
      });
      expectClose(read(b, param), pv.map((p, k) => f32(p) - 0.1 * f32(gv[k]!)), 1e-6, 1e-7);
      const p2 = upload(b, pv);
      const m = b.fill(n, 0, 'float32');
      const v = b.fill(n, 0, 'float32');
      b.fused!.adamStep!(view(p2, [n]), view(grad, [n]), view(m, [n]), view(v, [n]), undefined, {
        lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, maximize: false, step: 1,
      });
      // The first Adam step moves each parameter by lr * g / (|g| + eps): by lr * sign(g).
      expectClose(read(b, p2), pv.map((p, k) => f32(p) - 0.01 * Math.sign(gv[k]!)), 1e-5, 1e-6);
      expectClose(read(b, m), gv.map((g) => 0.1 * f32(g)), 1e-6, 1e-8);
    });
  });
}

beforeAll(async () => {
  // One helper thread, started at high addresses below (its control block above 2 GiB).
  setNumThreads(1);
  b = await createWasmBackend();
});

afterAll(() => {
  for (const s of padding.splice(0)) b.free(s);
});

describe('wasm-simd above 2 GiB', () => {
  checkKernels('operands straddling 2 GiB', TWO_GIB - 4096);

  checkKernels('operands wholly above 2 GiB', 3 * GIB);

  it('splits a matmul over a worker thread whose control block lies above 2 GiB', async () => {
    setNumThreads(2);
    for (let i = 0; i < 500 && wasmInfo().threads < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(wasmInfo().threads).toBe(2);
    const M = 128;
    const K = 128;
    const N = 96;
    const av = random(M * K, 21);
    const bv = random(K * N, 22);
    const a = upload(b, av);
    const w = upload(b, bv);
    expect(addressOf(a)).toBeGreaterThan(3 * GIB);
    const expected = Array.from({ length: M * N }, (_, k) => {
      let s = 0;
      for (let q = 0; q < K; q++) s += f32(av[Math.floor(k / N) * K + q]!) * f32(bv[q * N + (k % N)]!);
      return s;
    });
    expectClose(read(b, b.matmul(view(a, [1, M, K]), view(w, [1, K, N]))), expected, 1e-4, 1e-5);
    // A convolution over a batch splits by samples, its products calling back to the host.
    const xv = random(8 * 16 * 16 * 16, 23);
    const wv = random(32 * 16 * 9, 24);
    const out = read(b, b.conv2d(view(upload(b, xv), [8, 16, 16, 16]), view(upload(b, wv), [32, 16, 3, 3]), {
      stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1,
    }));
    // Spot-check interior and border outputs against a direct sum.
    for (const [n, o, h, w] of [[0, 0, 0, 0], [7, 31, 15, 15], [3, 17, 8, 2], [5, 4, 0, 9]]) {
      let s = 0;
      for (let c = 0; c < 16; c++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const y = h + i - 1;
            const z = w + j - 1;
            if (y >= 0 && y < 16 && z >= 0 && z < 16) s += f32(xv[((n * 16 + c) * 16 + y) * 16 + z]!) * f32(wv[((o * 16 + c) * 3 + i) * 3 + j]!);
          }
      expect(out[((n * 32 + o) * 16 + h) * 16 + w]).toBeCloseTo(s, 4);
    }
    setNumThreads(1);
  });

  checkKernels('operands near 4 GiB', FOUR_GIB - 48 * 1024 * 1024);

  it('names the op, the bytes asked for and the bytes live when memory runs out, and recovers after freeing', () => {
    const live = b.memory().bytes;
    let error: unknown;
    try {
      // Far more than the few MiB left below 4 GiB.
      b.unary('exp', view(b.alloc(4 * 1024 * 1024, 'float32'), [4 * 1024 * 1024]));
      b.fill(64 * 1024 * 1024, 0, 'float32');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^(alloc|unary\(exp\)|fill)\(\): wasm-simd is out of memory: asked for \d+ bytes/);
    const asked = Number(/asked for (\d+) bytes/.exec(message)![1]);
    expect(asked).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    const reported = Number(/with (\d+) bytes .* live/.exec(message)![1]);
    expect(reported).toBeGreaterThanOrEqual(live);
    expect(message).toContain('flint.memory()');
    expect(message).toContain('flint.tidy');
    expect(message).not.toContain('Maximum memory size exceeded');
    // The failed request changed nothing: live bytes are as reported and the backend still computes.
    expect(b.memory().bytes).toBe(reported);
    for (const s of padding.splice(0)) b.free(s);
    expect(b.memory().bytes).toBeLessThan(reported - 3 * GIB);
    const again = b.fill(64 * 1024 * 1024, 0.5, 'float32');
    const sum = read(b, b.reduce('sum', view(again, [64 * 1024 * 1024]), [0]));
    expectClose(sum, [32 * 1024 * 1024], 1e-6);
    expect(read(b, b.arange(1000, 0, 1, 'float32'))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    b.free(again);
  });
});
