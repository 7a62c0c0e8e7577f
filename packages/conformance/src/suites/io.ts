/**
 * Checkpoints in the safetensors format: the byte layout against hand-computed files, round trips
 * of every dtype and shape, files PyTorch wrote and files PyTorch reads (both checked by
 * scripts/safetensors_check.py), one clear error per kind of corrupt file with nothing leaked,
 * and atomic saves.
 */
import * as flint from '@flint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Encoded } from '../helpers.ts';
import type { SuiteContext } from '../context.ts';

const fixtureDir = fileURLToPath(new URL('../../fixtures/io/', import.meta.url));
const liveTensors = (): number => flint.memory().tensors;
const ascii = (s: string): number[] => [...new TextEncoder().encode(s)];

/** A u64 as 8 little-endian bytes. */
function u64(n: number | bigint): number[] {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true);
  return [...bytes];
}

/** A safetensors file built by hand: length, header text padded with spaces to 8 bytes, data. */
function handMade(header: string | object, data: ArrayLike<number> = []): Uint8Array {
  const json = ascii(typeof header === 'string' ? header : JSON.stringify(header));
  const padded = [...json, ...ascii(' '.repeat((8 - (json.length % 8)) % 8))];
  return Uint8Array.from([...u64(padded.length), ...padded, ...Array.from(data)]);
}

/** A header entry for a float32 tensor. */
const f32Entry = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

/** Little-endian bytes of float32 values. */
function f32Bytes(...values: number[]): number[] {
  const view = new DataView(new ArrayBuffer(4 * values.length));
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return [...new Uint8Array(view.buffer)];
}

/** Values, dtype and shape; `toEqual` tells NaN and -0 apart exactly. */
async function expectSame(got: flint.Tensor, want: { shape: readonly number[]; dtype: flint.DType; values: number[] }, label = ''): Promise<void> {
  expect([...got.shape], `${label} shape`).toEqual([...want.shape]);
  expect(got.dtype, `${label} dtype`).toBe(want.dtype);
  expect(Array.from(await got.data()), `${label} values`).toEqual(want.values);
}

async function expectEqualTensors(got: flint.Tensor, want: flint.Tensor, label = ''): Promise<void> {
  await expectSame(got, { shape: want.shape, dtype: want.dtype, values: Array.from(await want.data()) }, label);
}

/** A fixture tensor's values as flint reads them back (bools as 0/1). */
function encodedValues(e: Encoded): number[] {
  return e.data.map((v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v)));
}

function disposeAll(tensors: Iterable<flint.Tensor>): void {
  for (const t of tensors) t.dispose();
}

/**
 * Asserts no tensor made since `before` is still alive. Across an `await` the garbage collector's
 * backstop may free tensors other tests leaked, so the count can drop but must never grow.
 */
function expectNoNewTensors(before: number): void {
  expect(liveTensors(), 'tensors left behind').toBeLessThanOrEqual(before);
}

/** Asserts `fn` throws a message matching `message` and leaves no tensor behind (synchronous: exact). */
function expectRejected(fn: () => unknown, message: RegExp): void {
  const before = liveTensors();
  expect(fn).toThrow(message);
  expect(liveTensors(), 'tensors left after the error').toBe(before);
}

/**
 * The state behind fixtures/io/from_flint.safetensors, which scripts/safetensors_check.py checks
 * with torch (keep the two in step). The weight is stored from a transposed view.
 */
function fromFlintState(device: string): Map<string, flint.Tensor> {
  return flint.tidy(() => new Map([
    ['features.0.weight', flint.arange(12, { dtype: 'float32', device }).mul(0.25).sub(1).reshape([3, 4]).T],
    ['features.0.bias', flint.tensor([0.1, -2.5, Infinity, -Infinity, NaN], { dtype: 'float32', device })],
    ['step', flint.tensor(7, { dtype: 'int32', device })],
    ['10', flint.tensor([1.5], { dtype: 'float32', device })],
    ['counts', flint.tensor([-(2 ** 31), 2 ** 31 - 1, 0, -1], { dtype: 'int32', device })],
    ['mask', flint.tensor([[true, false, true], [false, false, true]], { device })],
    ['empty', flint.zeros([0, 3], { device })],
  ]));
}
const fromFlintMetadata = { format: 'pt', producer: 'flint' };

export function ioSuite(ctx: SuiteContext): void {
  const device = ctx.name;

  describe('io: safetensors layout', () => {
    it('matches the reference writer byte for byte (one tensor, computed by hand)', async () => {
      const t = flint.tidy(() => flint.arange(6, { dtype: 'float32', device }).reshape([1, 2, 3]));
      const bytes = await flint.serialize({ 'attn.0': t });
      // 64 bytes of JSON: already a multiple of 8, so no padding.
      const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
      expect([...bytes]).toEqual([
        64, 0, 0, 0, 0, 0, 0, 0, ...ascii(header),
        0, 0, 0, 0, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xa0, 0x40,
      ]);
      t.dispose();
    });

    it('pads the header with spaces to a multiple of 8 bytes; writes __metadata__ first', async () => {
      expect([...(await flint.serialize({}))]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...ascii('{}      ')]);
      // 35 bytes of JSON, padded to 40.
      expect([...(await flint.serialize(new Map(), { metadata: { framework: 'pt' } }))]).toEqual([
        40, 0, 0, 0, 0, 0, 0, 0, ...ascii('{"__metadata__":{"framework":"pt"}}     '),
      ]);
    });

    it('lays data out by descending alignment then name, and lists the header in the order given', async () => {
      const state = new Map([
        ['z.mask', flint.tensor([true, false, true], { device })],
        ['b', flint.tensor([-1], { dtype: 'int32', device })],
        ['a', flint.tensor([1.5], { dtype: 'float32', device })],
        ['c', flint.tensor(2, { dtype: 'float32', device })],
      ]);
      const header =
        '{"z.mask":{"dtype":"BOOL","shape":[3],"data_offsets":[12,15]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]},' +
        '"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"c":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}';
      expect(header.length).toBe(221);
      expect([...(await flint.serialize(state))]).toEqual([
        224, 0, 0, 0, 0, 0, 0, 0, ...ascii(`${header}   `),
        ...f32Bytes(1.5), ...f32Bytes(2), 0xff, 0xff, 0xff, 0xff, 1, 0, 1,
      ]);
      disposeAll(state.values());
    });
  });

  describe('io: safetensors round trip', () => {
    it('keeps every dtype, special values, 0-d and empty shapes exactly', async () => {
      const cases: Array<[string, flint.DType, number[], number[]]> = [
        ['float', 'float32', [8], [0, -0, 1.5, NaN, Infinity, -Infinity, 3.4028234663852886e38, Math.fround(1e-45)]],
        ['int', 'int32', [2, 2], [-(2 ** 31), 2 ** 31 - 1, 0, -7]],
        ['bool', 'bool', [3], [1, 0, 1]],
        ['float.scalar', 'float32', [], [-2.25]],
        ['int.scalar', 'int32', [], [9]],
        ['bool.scalar', 'bool', [], [1]],
        ['empty', 'float32', [0], []],
        ['empty.inner', 'int32', [2, 0, 3], []],
        ['empty.bool', 'bool', [0, 4], []],
        ['cube', 'float32', [2, 3, 4], Array.from({ length: 24 }, (_, i) => Math.fround(Math.sin(i) * 100))],
      ];
      const before = liveTensors();
      const state = flint.tidy(() => new Map(cases.map(([name, dtype, shape, values]) => [name, flint.tensor(values, { dtype, device }).reshape(shape)])));
      const { tensors, metadata } = flint.deserialize(await flint.serialize(state));
      expect(metadata).toEqual({});
      expect([...tensors.keys()]).toEqual(cases.map(([name]) => name));
      for (const [name, dtype, shape, values] of cases) {
        const t = tensors.get(name)!;
        await expectSame(t, { shape, dtype, values }, name);
        expect(t.device).toBe(device);
        expect(t.isContiguous()).toBe(true);
        expect(t.requiresGrad).toBe(false);
      }
      disposeAll([...tensors.values(), ...state.values()]);
      expectNoNewTensors(before);
    });

    it('writes views (transposed, offset, broadcast) as their contiguous values', async () => {
      const before = liveTensors();
      const views = flint.tidy(() => {
        const base = flint.arange(24, { dtype: 'float32', device }).reshape([2, 3, 4]);
        return new Map([
          ['transposed', base.transpose(0, 2)],
          ['narrowed', base.narrow(2, 1, 2)],
          ['selected', base.select(1, 2)],
          ['expanded', flint.tensor([1, 2, 3], { dtype: 'int32', device }).reshape([3, 1]).expand([3, 4])],
        ]);
      });
      const viewBytes = await flint.serialize(views);
      const copies = flint.tidy(() => new Map([...views].map(([k, v]) => [k, v.contiguous()])));
      expect([...viewBytes]).toEqual([...(await flint.serialize(copies))]);
      const { tensors } = flint.deserialize(viewBytes);
      for (const [name, view] of views) await expectEqualTensors(tensors.get(name)!, view, name);
      disposeAll([...views.values(), ...copies.values(), ...tensors.values()]);
      expectNoNewTensors(before);
    });

    it('keeps metadata, including non-ASCII text and characters JSON escapes', async () => {
      const metadata = { format: 'pt', note: 'naïve "quoted" \\ back\nslash ✓ 😀', '': 'empty key' };
      const t = flint.ones([2], { device });
      const back = flint.deserialize(await flint.serialize({ w: t }, { metadata }));
      expect(back.metadata).toEqual(metadata);
      const empty = flint.deserialize(await flint.serialize({ w: t }, { metadata: {} }));
      expect(empty.metadata).toEqual({});
      disposeAll([t, ...back.tensors.values(), ...empty.tensors.values()]);
    });

    it('gives tensors back in the order they were saved, integer-like names included', async () => {
      const names = ['layer.10.weight', '2', 'b', '10', 'a', 'layer.2.weight', 'we"ird\\name ✓', ''];
      const state = new Map(names.map((name, i) => [name, i % 2 ? flint.tensor([i], { dtype: 'int32', device }) : flint.ones([i], { device })]));
      const { tensors } = flint.deserialize(await flint.serialize(state));
      expect([...tensors.keys()]).toEqual(names);
      disposeAll([...state.values(), ...tensors.values()]);
    });

    it('reads headers other writers produce: whitespace, keys out of offset order', async () => {
      const header = `{\n  "10": ${JSON.stringify(f32Entry([1], 4, 8))},\n  "__metadata__": {"k": "v"},\n  "a": ${JSON.stringify(f32Entry([1], 0, 4))}\n}`;
      const { tensors, metadata } = flint.deserialize(handMade(header, f32Bytes(1, 2)), { device });
      expect(metadata).toEqual({ k: 'v' });
      expect([...tensors.keys()]).toEqual(['10', 'a']);
      await expectSame(tensors.get('10')!, { shape: [1], dtype: 'float32', values: [2] });
      await expectSame(tensors.get('a')!, { shape: [1], dtype: 'float32', values: [1] });
      disposeAll(tensors.values());
    });

    it('owns its data: changing the bytes afterwards changes no tensor', async () => {
      const t = flint.tensor([1, 2, 3], { dtype: 'float32', device });
      const bytes = await flint.serialize({ t });
      const { tensors } = flint.deserialize(bytes);
      bytes.fill(0, bytes.length - 12);
      await expectSame(tensors.get('t')!, { shape: [3], dtype: 'float32', values: [1, 2, 3] });
      disposeAll([t, ...tensors.values()]);
    });

    it('accepts an ArrayBuffer and data that does not start at offset 0 of its buffer', async () => {
      const t = flint.tensor([[1, 2], [3, 4]], { dtype: 'int32', device });
      const bytes = await flint.serialize({ t });
      const shifted = new Uint8Array(bytes.length + 3);
      shifted.set(bytes, 3);
      for (const input of [bytes.slice().buffer, shifted.subarray(3)]) {
        const { tensors } = flint.deserialize(input);
        await expectSame(tensors.get('t')!, { shape: [2, 2], dtype: 'int32', values: [1, 2, 3, 4] });
        disposeAll(tensors.values());
      }
      t.dispose();
    });

    it('creates tensors on the requested device', async () => {
      const target = ctx.reference ?? device;
      const t = flint.ones([2, 2], { device });
      const bytes = await flint.serialize({ t });
      const { tensors } = flint.deserialize(bytes, { device: target });
      expect(tensors.get('t')!.device).toBe(target);
      disposeAll([t, ...tensors.values()]);
      expectRejected(() => flint.deserialize(bytes, { device: 'no-such-device' }), /Unknown backend 'no-such-device'/);
    });

    it('serialize() rejects what it cannot write, naming the problem', async () => {
      const t = flint.ones([1], { device });
      const gone = flint.ones([1], { device });
      gone.dispose();
      const bad: Array<[unknown, unknown, RegExp]> = [
        [{ w: 1 }, undefined, /^serialize\(\): 'w' is not a Tensor \(got number\)/],
        [{ __metadata__: t }, undefined, /'__metadata__' is reserved by the format/],
        [{ w: gone }, undefined, /tensor 'w' has been disposed/],
        [[t], undefined, /expected a Map or a plain object of tensors/],
        [new Map([[1, t]]), undefined, /tensor names must be strings, got number/],
        [{ w: t }, { epoch: 3 }, /metadata values must be strings; 'epoch' is number/],
      ];
      for (const [state, metadata, message] of bad) {
        await expect(flint.serialize(state as flint.StateDict, { metadata: metadata as Record<string, string> })).rejects.toThrow(message);
      }
      t.dispose();
    });
  });

  describe('io: corrupt safetensors files', () => {
    const cases: Array<[string, Uint8Array | unknown, RegExp]> = [
      ['not bytes', 'model.safetensors', /^deserialize\(\): safetensors: expected a Uint8Array or ArrayBuffer/],
      ['too short for the length', Uint8Array.of(1, 2, 3), /^deserialize\(\): safetensors: the data is 3 bytes, too short for the 8-byte header length$/],
      ['header length past the end', Uint8Array.from([...u64(1000), ...ascii('{}')]), /header length 1000 runs past the end of the data \(10 bytes; file truncated\?\)/],
      ['header length over the limit', Uint8Array.from([...u64(2n ** 40n), ...ascii('{}')]), /header length 1099511627776 exceeds the format's limit of 100000000 bytes/],
      ['header not an object', handMade('[]'), /the header does not start with '\{'/],
      ['header not UTF-8', Uint8Array.from([...u64(8), 0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d, 0x20]), /the header is not valid UTF-8/],
      ['header not JSON', handMade('{"a":'), /the header is not valid JSON/],
      ['duplicate name', handMade(`{"a":${JSON.stringify(f32Entry([1], 0, 4))},"a":${JSON.stringify(f32Entry([1], 4, 8))}}`, f32Bytes(1, 2)), /the header lists 'a' more than once/],
      ['entry not an object', handMade({ a: [1, 2] }), /tensor 'a': expected \{"dtype", "shape", "data_offsets"\}, got \[1,2\]/],
      ['unknown dtype', handMade({ a: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, [0]), /tensor 'a' has dtype 'Q4', which flint cannot load \(supported: F32, F64, F16, BF16, I32, I64/],
      ['unsupported dtype', handMade({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, [0]), /tensor 'a' has dtype 'F8_E4M3', which flint cannot load/],
      ['dtype not a string', handMade({ a: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), /tensor 'a': "dtype" must be a string, got 4/],
      ['negative dim', handMade({ a: f32Entry([-1], 0, 0) }), /tensor 'a': "shape" must be a list of non-negative integers, got \[-1\]/],
      ['fractional dim', handMade({ a: f32Entry([1.5], 0, 6) }, [0, 0, 0, 0, 0, 0]), /"shape" must be a list of non-negative integers, got \[1.5\]/],
      ['offsets reversed', handMade({ a: f32Entry([1], 8, 4) }, f32Bytes(1, 2)), /tensor 'a': "data_offsets" must be \[begin, end\] with 0 <= begin <= end, got \[8,4\]/],
      ['offsets not a pair', handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }), /"data_offsets" must be \[begin, end\]/],
      ['size not shape times itemsize', handMade({ a: f32Entry([2], 0, 4) }, f32Bytes(1)), /tensor 'a' has shape \[2\] of F32 \(8 bytes\) but data_offsets \[0, 4\) span 4 bytes/],
      ['overlapping tensors', handMade({ a: f32Entry([2], 0, 8), b: f32Entry([2], 4, 12) }, f32Bytes(1, 2, 3)), /tensors 'a' \[0, 8\) and 'b' \[4, 12\) overlap/],
      ['hole between tensors', handMade({ a: f32Entry([1], 0, 4), b: f32Entry([1], 8, 12) }, f32Bytes(1, 2, 3)), /bytes \[4, 8\) of the data section belong to no tensor \(the format forbids holes\)/],
      ['truncated data', handMade({ 'fc.weight': f32Entry([10, 10], 0, 400) }, new Uint8Array(396)),
        /^deserialize\(\): safetensors: tensor 'fc\.weight' claims bytes \[0, 400\) but the data section has 396 bytes \(file truncated\?\)$/],
      ['trailing bytes', handMade({ a: f32Entry([1], 0, 4) }, f32Bytes(1, 2)), /the data section has 8 bytes but the tensors cover only 4 \(trailing bytes\)/],
      ['metadata not an object', handMade({ __metadata__: 'pt' }), /'__metadata__' must be an object of strings, got "pt"/],
      ['metadata value not a string', handMade({ __metadata__: { epoch: 3 } }), /'__metadata__' values must be strings; 'epoch' is 3/],
      // 'ok' is created before 'big' fails: it must be disposed, not leaked.
      ['int64 outside int32', handMade({ ok: f32Entry([2], 0, 8), big: { dtype: 'I64', shape: [2], data_offsets: [8, 24] } }, [...f32Bytes(1, 2), ...u64(1), ...u64(2 ** 32)]),
        /tensor 'big' \(I64\) holds 4294967296 at flat index 1, which does not fit in int32/],
      ['int64 below int32', handMade({ small: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, [0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff]),
        /tensor 'small' \(I64\) holds -2147483649 at flat index 0, which does not fit in int32/],
      ['uint32 outside int32', handMade({ u: { dtype: 'U32', shape: [1], data_offsets: [0, 4] } }, [0xff, 0xff, 0xff, 0xff]), /tensor 'u' \(U32\) holds 4294967295 at flat index 0/],
    ];
    for (const [label, bytes, message] of cases) {
      it(`${label}: a clear error, nothing leaked`, () => {
        expectRejected(() => flint.deserialize(bytes as Uint8Array, { device }), message);
      });
    }
  });

  describe('io: PyTorch interoperability', () => {
    it('loads a file PyTorch wrote (every torch dtype, 0-d, empty, dotted names)', async () => {
      const expected = JSON.parse(readFileSync(join(fixtureDir, 'from_torch.json'), 'utf8')) as { metadata: Record<string, string>; tensors: Record<string, Encoded> };
      const before = liveTensors();
      const { tensors, metadata } = await flint.loadWithMetadata(join(fixtureDir, 'from_torch.safetensors'), { device });
      expect(metadata).toEqual(expected.metadata);
      expect([...tensors.keys()]).toEqual(Object.keys(expected.tensors));
      for (const [name, e] of Object.entries(expected.tensors)) {
        await expectSame(tensors.get(name)!, { shape: e.shape, dtype: e.dtype, values: encodedValues(e) }, name);
      }
      disposeAll(tensors.values());
      expectNoNewTensors(before);
    });

    it('writes fixtures/io/from_flint.safetensors byte for byte (PyTorch reads it in scripts/safetensors_check.py)', async () => {
      const state = fromFlintState(device);
      const bytes = await flint.serialize(state, { metadata: fromFlintMetadata });
      const path = join(fixtureDir, 'from_flint.safetensors');
      // Regenerate with FLINT_UPDATE_IO_FIXTURES=1, then rerun the Python check.
      if (process.env.FLINT_UPDATE_IO_FIXTURES) writeFileSync(path, bytes);
      expect([...bytes]).toEqual([...readFileSync(path)]);
      const { tensors, metadata } = flint.deserialize(bytes, { device });
      expect(metadata).toEqual(fromFlintMetadata);
      for (const [name, t] of state) await expectEqualTensors(tensors.get(name)!, t, name);
      disposeAll([...state.values(), ...tensors.values()]);
    });
  });

  describe('io: checkpoint files', () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'flint-io-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('save() then load() round-trips and leaves no temporary file', async () => {
      const path = join(dir, 'model.safetensors');
      const state = fromFlintState(device);
      await flint.save(state, path, { metadata: fromFlintMetadata });
      expect(readdirSync(dir)).toEqual(['model.safetensors']);
      const loaded = await flint.load(path);
      expect([...loaded.keys()]).toEqual([...state.keys()]);
      for (const [name, t] of state) await expectEqualTensors(loaded.get(name)!, t, name);
      const withMeta = await flint.loadWithMetadata(path, { device });
      expect(withMeta.metadata).toEqual(fromFlintMetadata);
      disposeAll([...state.values(), ...loaded.values(), ...withMeta.tensors.values()]);
    });

    it('save() replaces an existing checkpoint', async () => {
      const path = join(dir, 'replace.safetensors');
      const first = flint.ones([3], { device });
      const second = flint.tensor([7, 8], { dtype: 'int32', device });
      await flint.save({ w: first }, path);
      await flint.save({ w: second }, path);
      const loaded = await flint.load(path, { device });
      await expectSame(loaded.get('w')!, { shape: [2], dtype: 'int32', values: [7, 8] });
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      disposeAll([first, second, ...loaded.values()]);
    });

    it('a save() that fails leaves no partial or temporary file', async () => {
      const t = flint.ones([2], { device });
      const missing = join(dir, 'missing', 'model.safetensors');
      await expect(flint.save({ t }, missing)).rejects.toThrow(/^save\(\): could not write '.*missing.model\.safetensors': directory '.*missing' does not exist$/);
      expect(existsSync(join(dir, 'missing'))).toBe(false);
      // The rename onto a directory fails after the bytes were written: the temporary file must go.
      const sub = join(dir, 'taken');
      mkdirSync(join(sub, 'model.safetensors'), { recursive: true });
      await expect(flint.save({ t }, join(sub, 'model.safetensors'))).rejects.toThrow(/^save\(\): could not write '.*model\.safetensors': /);
      expect(readdirSync(sub)).toEqual(['model.safetensors']);
      // Invalid state fails before the file system is touched.
      await expect(flint.save({ t: 1 } as unknown as flint.StateDict, join(dir, 'never.safetensors'))).rejects.toThrow(/^save\(\): 't' is not a Tensor/);
      expect(existsSync(join(dir, 'never.safetensors'))).toBe(false);
      t.dispose();
    });

    it('save() removes the temporary files that killed saves of the same target left, and only those', async () => {
      const sub = join(dir, 'stale');
      mkdirSync(sub);
      const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
      const temp = (target: string, pid: number, tag: string): string => `.${target}.flint-save-${pid}-${tag}.tmp`;
      const leftovers = {
        killed: temp('model.safetensors', dead, 'aaaa0001'),
        running: temp('model.safetensors', process.ppid, 'aaaa0002'), // a save still under way elsewhere
        otherTarget: temp('other.safetensors', dead, 'aaaa0003'),
        userFile: '.model.safetensors.notes.tmp',
      };
      for (const name of Object.values(leftovers)) writeFileSync(join(sub, name), 'partial');
      const t = flint.ones([2], { device });
      await flint.save({ t }, join(sub, 'model.safetensors'));
      const expected = [leftovers.running, leftovers.otherTarget, leftovers.userFile, 'model.safetensors'];
      expect(readdirSync(sub).sort()).toEqual(expected.sort());
      t.dispose();
    });

    it('load() names the file and the problem, and leaks nothing', async () => {
      const before = liveTensors();
      await expect(flint.load(join(dir, 'absent.safetensors'))).rejects.toThrow(/^load\(\): could not read '.*absent\.safetensors': no such file$/);
      const bad = join(dir, 'bad.safetensors');
      writeFileSync(bad, handMade({ a: f32Entry([2], 0, 8), b: f32Entry([10], 8, 48) }, new Uint8Array(44)));
      await expect(flint.load(bad)).rejects.toThrow(/^load\(\): safetensors file '.*bad\.safetensors': tensor 'b' claims bytes \[8, 48\) but the data section has 44 bytes \(file truncated\?\)$/);
      await expect(flint.loadWithMetadata(bad)).rejects.toThrow(/^loadWithMetadata\(\): safetensors file/);
      expectNoNewTensors(before);
    });

    it('load() creates tensors on the requested device', async () => {
      const target = ctx.reference ?? device;
      const path = join(dir, 'device.safetensors');
      const t = flint.ones([2], { device });
      await flint.save({ t }, path);
      const loaded = await flint.load(path, { device: target });
      expect(loaded.get('t')!.device).toBe(target);
      disposeAll([t, ...loaded.values()]);
    });
  });
}
