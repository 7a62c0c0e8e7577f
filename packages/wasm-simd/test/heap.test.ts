import { describe, expect, it } from 'vitest';
import { Heap, HeapExhausted, sizeClass } from '../src/heap.ts';
import { wasmApi } from '../src/wasm-api.ts';
import { backends, read, upload, view } from './helpers.ts';

const PAGE = 65536;

describe('sizeClass', () => {
  it('rounds up to 16-byte steps, then to quarter powers of two', () => {
    expect([0, 1, 16, 17, 256].map(sizeClass)).toEqual([16, 16, 16, 32, 256]);
    // 257..511 bytes: classes of 64 (a quarter of 256).
    expect([257, 320, 321, 511, 512, 513].map(sizeClass)).toEqual([320, 320, 384, 512, 512, 640]);
    for (let bytes = 1; bytes < 1 << 20; bytes = Math.ceil(bytes * 1.37)) {
      const c = sizeClass(bytes);
      expect(c).toBeGreaterThanOrEqual(bytes);
      expect(c % 16).toBe(0);
      if (bytes > 256) expect(c / bytes).toBeLessThanOrEqual(1.25);
    }
  });
});

describe('Heap', () => {
  it('reuses a freed block of the same size class and counts live bytes exactly', () => {
    const heap = new Heap(new wasmApi!.Memory({ initial: 1, maximum: 16 }), 100);
    const a = heap.alloc(10, 'float32');
    const b = heap.alloc(3, 'bool');
    // The heap starts at the first 16-byte boundary above its base.
    expect(a.ptr).toBe(112);
    expect(b.ptr).toBeGreaterThanOrEqual(a.ptr + 40);
    expect(heap.stats()).toEqual({ bytes: 43, buffers: 2 });
    heap.free(a);
    expect(heap.stats()).toEqual({ bytes: 3, buffers: 1 });
    // 9 int32 = 36 bytes share 10 float32's 48-byte class.
    const c = heap.alloc(9, 'int32');
    expect(c.ptr).toBe(112);
    expect(() => a.ptr).toThrow(/after free/);
    expect(() => heap.free(a)).toThrow(/freed twice/);
    heap.free(b);
    heap.free(c);
    expect(heap.stats()).toEqual({ bytes: 0, buffers: 0 });
  });

  it('grows the memory and re-creates its views after growth', () => {
    const memory = new wasmApi!.Memory({ initial: 1, maximum: 64 });
    const heap = new Heap(memory, 0);
    const small = heap.alloc(4, 'float32');
    heap.f32.set([1, 2, 3, 4], small.ptr >> 2);
    const before = heap.f32;
    const big = heap.alloc(3 * PAGE, 'float32');
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big.ptr + 12 * PAGE);
    expect(before.length).toBe(0); // detached by growth
    expect(Array.from(heap.f32.subarray(small.ptr >> 2, (small.ptr >> 2) + 4))).toEqual([1, 2, 3, 4]);
    heap.f32[(big.ptr >> 2) + 3 * PAGE - 1] = 7;
    expect(new Float32Array(memory.buffer)[(big.ptr >> 2) + 3 * PAGE - 1]).toBe(7);
  });

  it('grows to the last page of its maximum, then refuses with the bytes asked for and live', () => {
    // 14 of 16 pages used: a quarter's growth (4 pages) would pass the maximum, the 2 left must still
    // serve. Both sizes are exact size classes.
    const memory = new wasmApi!.Memory({ initial: 14, maximum: 16 });
    const heap = new Heap(memory, 0, 16);
    const low = heap.alloc(14 * PAGE, 'bool');
    const last = heap.alloc(2 * PAGE, 'bool');
    expect(memory.buffer.byteLength).toBe(16 * PAGE);
    expect(last.ptr + 2 * PAGE).toBe(16 * PAGE);
    let error: unknown;
    try {
      heap.alloc(1000, 'float32');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HeapExhausted);
    expect((error as HeapExhausted).requested).toBe(4096);
    expect((error as HeapExhausted).live).toEqual({ bytes: 16 * PAGE, buffers: 2 });
    expect((error as Error).message).toMatch(/asked for 4096 bytes .* with 1048576 bytes \(1\.00 MiB\) live in 2 tensor buffers/);
    // Nothing changed: freeing makes room again.
    expect(heap.stats()).toEqual({ bytes: 16 * PAGE, buffers: 2 });
    const lowPtr = low.ptr;
    heap.free(low);
    expect(heap.alloc(14 * PAGE, 'bool').ptr).toBe(lowPtr);
  });
});

describe('backend storage', () => {
  it('keeps tensors intact across memory growth and reports memory exactly', async () => {
    const { wasm } = await backends();
    expect(wasm.memory()).toEqual({ bytes: 0, buffers: 0 });
    const x = upload(wasm, [1, -2, 3]);
    const flags = upload(wasm, [1, 0], 'bool');
    // 64 MiB: more than the initial memory, so the memory grows under x.
    const big = wasm.fill(16 << 20, 0.5, 'float32');
    expect(wasm.memory()).toEqual({ bytes: 12 + 2 + (64 << 20), buffers: 3 });
    expect(read(wasm, x)).toEqual([1, -2, 3]);
    const y = wasm.binary('add', view(x, [3]), view(x, [3]));
    expect(read(wasm, y)).toEqual([2, -4, 6]);
    expect(wasm.readSync!(big).slice(-2)).toEqual(new Float32Array([0.5, 0.5]));
    for (const s of [x, flags, big, y]) wasm.free(s);
    expect(wasm.memory()).toEqual({ bytes: 0, buffers: 0 });
  });

  it('reads copies, rejects foreign storages', async () => {
    const { wasm, cpu } = await backends();
    const s = upload(wasm, [1, 2]);
    const copy = wasm.readSync!(s);
    copy[0] = 9;
    expect(read(wasm, s)).toEqual([1, 2]);
    expect(Array.from(await wasm.read(s))).toEqual([1, 2]);
    expect(() => wasm.readSync!(upload(cpu, [1]))).toThrow(/another backend/);
    wasm.free(s);
    expect(() => wasm.readSync!(s)).toThrow(/after free/);
  });
});
