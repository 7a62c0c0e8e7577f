/**
 * Each workload's verification on tiny sizes for flint, timing nothing: the checks the bench runs
 * pass on correct results and fail on wrong ones, training steps make the loss fall, and a step
 * frees every tensor it makes. Also checks that tfjs's variant of each network computes the same
 * loss as flint's from the same weights, which proves the layout conversions in systems/tfjs.ts.
 */
import { describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import { verify, workload, type RunRecord, type SequenceData, type WorkloadData } from '../src/workloads.ts';
import { loadAdapter, system } from '../src/systems/index.ts';
import { Unavailable } from '../src/systems/adapter.ts';

async function run(systemName: string, data: WorkloadData, steps: number): Promise<RunRecord> {
  const instance = await (await loadAdapter(system(systemName))).prepare(data);
  const record: RunRecord = { values: [], steps };
  if (instance.remote) await instance.sample(steps, record.values);
  else for (let i = 0; i < steps; i++) record.values.push(await instance.step());
  record.result = await instance.result?.();
  instance.dispose();
  return record;
}

const flintRun = (data: WorkloadData, steps: number) => run('flint-cpu-js', data, steps);

describe('flint workloads pass their verification', () => {
  it('matmul matches the float64 reference, and a wrong entry is caught', async () => {
    const data = workload('matmul').data(24, 1);
    const record = await flintRun(data, 2);
    expect(() => verify(data, record)).not.toThrow();
    record.result![0]! += 0.01;
    expect(() => verify(data, record)).toThrow(/matmul C\[0\]\[0\]/);
  });

  it('add and add-into match replayed float32 sums; add-into accumulates over every step', async () => {
    const add = workload('add').data(1000, 1);
    expect(() => verify(add, { values: [], steps: 3, result: undefined })).toThrow(/no result/);
    const addRecord = await flintRun(add, 3);
    expect(() => verify(add, addRecord)).not.toThrow();
    const into = workload('add-into').data(1000, 1);
    const intoRecord = await flintRun(into, 5);
    expect(() => verify(into, intoRecord)).not.toThrow();
    expect(() => verify(into, { ...intoRecord, steps: 4 })).toThrow(/add-into/);
  });

  for (const [name, size] of [['simplenet', 64], ['mlp', 4], ['cnn', 4], ['gpt', 32], ['lstm', 32]] as const) {
    it(`${name}: the loss falls over 20 steps and each step frees what it makes`, async () => {
      const data = workload(name).data(size, 1);
      const before = flint.memory().tensors;
      const record = await flintRun(data, 20);
      expect(flint.memory().tensors).toBe(before);
      expect(() => verify(data, record)).not.toThrow();
    });
  }

  it('a loss that does not fall fails loudly', () => {
    const data = workload('simplenet').data(4, 1);
    expect(() => verify(data, { values: [0.7, 0.69, 0.71], steps: 3 })).toThrow(/did not fall/);
    expect(() => verify(data, { values: [0.7, NaN, 0.6], steps: 3 })).toThrow(/non-finite/);
  });

  it('dataloader runs when flint.data.DataLoader exists, and is reported unavailable until then', async () => {
    const data = workload('dataloader').data(4, 0);
    if (!('DataLoader' in flint.data)) return expect(flintRun(data, 1)).rejects.toBeInstanceOf(Unavailable);
    const record = await flintRun(data, 2);
    expect(() => verify(data, record)).not.toThrow();
    expect(() => verify(data, { ...record, values: [record.values[0]! - 1] })).toThrow(/every index once/);
  });
});

describe('tfjs builds the same networks as flint', () => {
  for (const [name, batch] of [['simplenet', 8], ['mlp', 4], ['cnn', 4]] as const) {
    it(`${name}: the first loss agrees`, async () => {
      const data = workload(name).data(batch, 1);
      const [ours, theirs] = [await flintRun(data, 1), await run('tfjs-cpu', data, 1)];
      expect(theirs.values[0]).toBeCloseTo(ours.values[0]!, 5);
    });
  }
});

describe('PyTorch runs every workload it has, and builds the same networks as flint', () => {
  const pytorchRun = (data: WorkloadData, steps: number) => run('pytorch', data, steps);

  it('matmul, add and add-into pass verification, and a wrong result is caught', async () => {
    const matmul = workload('matmul').data(24, 1);
    const record = await pytorchRun(matmul, 2);
    expect(() => verify(matmul, record)).not.toThrow();
    record.result![0]! -= 0.01;
    expect(() => verify(matmul, record)).toThrow(/matmul C\[0\]\[0\]/);
    for (const [name, steps] of [['add', 3], ['add-into', 5]] as const) {
      const data = workload(name).data(1000, 1);
      const ran = await pytorchRun(data, steps);
      expect(() => verify(data, ran)).not.toThrow();
    }
  });

  for (const [name, batch] of [['simplenet', 8], ['mlp', 4], ['cnn', 4]] as const) {
    it(`${name}: the first loss agrees with flint's from the same weights, and the loss falls`, async () => {
      const data = workload(name).data(batch, 1);
      const [ours, theirs] = [await flintRun(data, 1), await pytorchRun(data, 20)];
      expect(theirs.values[0]).toBeCloseTo(ours.values[0]!, 5);
      expect(() => verify(data, theirs)).not.toThrow();
    });
  }

  for (const name of ['gpt', 'lstm'] as const) {
    it(`${name}: the loss starts near ln(vocabulary) and falls over 20 steps`, async () => {
      const data = workload(name).data(32, 1) as SequenceData;
      const record = await pytorchRun(data, 20);
      expect(Math.abs(record.values[0]! - Math.log(data.vocab))).toBeLessThan(0.3);
      expect(() => verify(data, record)).not.toThrow();
    });
  }

  it('reports itself with the torch version on OpenBLAS', async () => {
    expect((await loadAdapter(system('pytorch'))).detail).toMatch(/^torch \d+\.\d+.*, OpenBLAS/);
  });
});

it('tfjs-wasm starts from the .wasm files in node_modules, single-threaded', async () => {
  const adapter = await loadAdapter(system('tfjs-wasm'));
  expect(adapter.detail).toMatch(/^(SIMD|no SIMD), 1 thread$/);
});
