import { describe, expect, it } from 'vitest';
import { cpuJs, createCpuBackend } from '../src/index.ts';
import { backend, read, upload } from './helpers.ts';

describe('storage', () => {
  it('uploads a copy and reads back a copy', async () => {
    const b = backend();
    const src = new Float32Array([1, 2, 3]);
    const s = b.upload(src, 'float32');
    src[0] = 99;
    expect(s.size).toBe(3);
    expect(s.dtype).toBe('float32');
    const first = await b.read(s);
    expect(Array.from(first)).toEqual([1, 2, 3]);
    first[1] = 42;
    expect(read(b, s)).toEqual([1, 2, 3]);
    const sync = b.readSync!(s);
    sync[2] = 7;
    expect(read(b, s)).toEqual([1, 2, 3]);
  });

  it('allocates each dtype with its typed array', () => {
    const b = backend();
    expect(b.readSync!(b.alloc(2, 'float32'))).toBeInstanceOf(Float32Array);
    expect(b.readSync!(b.alloc(2, 'int32'))).toBeInstanceOf(Int32Array);
    expect(b.readSync!(b.alloc(2, 'bool'))).toBeInstanceOf(Uint8Array);
    expect(b.alloc(5, 'int32').size).toBe(5);
  });

  it('tracks bytes and buffers and returns to zero after free', () => {
    const b = backend();
    expect(b.memory()).toEqual({ bytes: 0, buffers: 0 });
    const f = b.alloc(4, 'float32');
    const i = upload(b, [1, 2, 3], 'int32');
    const m = upload(b, [1, 0], 'bool');
    expect(b.memory()).toEqual({ bytes: 16 + 12 + 2, buffers: 3 });
    const sum = b.binary('add', { storage: f, dtype: 'float32', shape: [4], strides: [1], offset: 0 },
      { storage: f, dtype: 'float32', shape: [4], strides: [1], offset: 0 });
    expect(b.memory()).toEqual({ bytes: 46, buffers: 4 });
    for (const s of [f, i, m, sum]) b.free(s);
    expect(b.memory()).toEqual({ bytes: 0, buffers: 0 });
  });

  it('throws on double free and on use after free', () => {
    const b = backend();
    const s = upload(b, [1, 2]);
    b.free(s);
    expect(() => b.free(s)).toThrow(/freed twice/);
    expect(() => b.readSync!(s)).toThrow(/after free/);
    expect(b.memory()).toEqual({ bytes: 0, buffers: 0 });
  });

  it('rejects storages it did not create', () => {
    const b = backend();
    expect(() => b.readSync!({ size: 1, dtype: 'float32' })).toThrow(/another backend/);
  });

  it('sync resolves immediately', async () => {
    await expect(backend().sync()).resolves.toBeUndefined();
  });

  it('exposes a registration descriptor', () => {
    expect(cpuJs.name).toBe('cpu-js');
    expect(cpuJs.aliases).toEqual(['cpu']);
    expect(cpuJs.priority).toBe(0);
    expect(cpuJs.factory).toBe(createCpuBackend);
    expect(createCpuBackend().name).toBe('cpu-js');
  });
});

describe('creation', () => {
  it('fills every dtype', () => {
    const b = backend();
    expect(read(b, b.fill(3, 1.5, 'float32'))).toEqual([1.5, 1.5, 1.5]);
    expect(read(b, b.fill(2, -7, 'int32'))).toEqual([-7, -7]);
    expect(read(b, b.fill(2, 0.25, 'bool'))).toEqual([1, 1]);
    expect(read(b, b.fill(2, 0, 'bool'))).toEqual([0, 0]);
    expect(read(b, b.fill(1, NaN, 'bool'))).toEqual([1]);
    expect(b.fill(0, 1, 'float32').size).toBe(0);
  });

  it('arange computes start + i * step', () => {
    const b = backend();
    expect(read(b, b.arange(5, 0, 1, 'int32'))).toEqual([0, 1, 2, 3, 4]);
    expect(read(b, b.arange(4, 10, -3, 'int32'))).toEqual([10, 7, 4, 1]);
    expect(read(b, b.arange(4, 0, 0.1, 'float32'))).toEqual([0, 0.1, 0.2, 0.3].map(Math.fround));
  });
});
