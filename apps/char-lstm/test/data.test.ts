/** The corpus layout of word_language_model's main.py, on the alphabet example of its comments. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { batchify, batchStarts, getBatch, splitCorpus } from '../src/data.ts';

const ALPHABET = Int32Array.from({ length: 26 }, (_, i) => i);
const letters = (ids: unknown): string => (ids as number[]).flat().map((id) => String.fromCharCode(97 + id)).join('');

describe('char-lstm data', () => {
  beforeAll(() => flint.setBackend('cpu'));

  it('splitCorpus keeps 80% to train, then 10% each to validate and test, in order', () => {
    const { train, val, test } = splitCorpus(Int32Array.from({ length: 25 }, (_, i) => i));
    expect([...train]).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...val]).toEqual([20, 21]);
    expect([...test]).toEqual([22, 23, 24]);
  });

  it('batchify lays 4 columns a-f, g-l, m-r, s-x and drops y, z', async () => {
    const source = batchify(ALPHABET, 4, 'cpu');
    expect(source.shape).toEqual([6, 4]);
    expect(source.dtype).toBe('int32');
    expect(letters(await source.tolist())).toBe('agmsbhntciou' + 'djpvekqwflrx');
    source.dispose();
  });

  it('getBatch with bptt 2 reads rows i, i+1 and the flattened rows one later; the last chunk is shorter', async () => {
    const source = batchify(ALPHABET, 4, 'cpu');
    expect(batchStarts(source, 2)).toEqual([0, 2, 4]);
    const [data, targets] = getBatch(source, 0, 2);
    expect(data.shape).toEqual([2, 4]);
    expect(letters(await data.tolist())).toBe('agmsbhnt');
    expect(letters(await targets.tolist())).toBe('bhntciou');
    const [lastData, lastTargets] = getBatch(source, 4, 2);
    expect(letters(await lastData.tolist())).toBe('ekqw');
    expect(letters(await lastTargets.tolist())).toBe('flrx');
    for (const t of [source, data, targets, lastData, lastTargets]) t.dispose();
  });

  it('bad arguments throw, naming the function and the problem', () => {
    expect(() => batchify(ALPHABET, 0, 'cpu')).toThrow('batchify(): batchSize must be a positive integer, got 0');
    expect(() => batchify(ALPHABET, 2.5, 'cpu')).toThrow('batchify(): batchSize must be a positive integer, got 2.5');
    expect(() => batchify(ALPHABET, 14, 'cpu')).toThrow('batchify(): 26 ids make fewer than 2 rows of 14');
    const source = batchify(ALPHABET, 4, 'cpu');
    expect(() => getBatch(source, 5, 2)).toThrow('getBatch(): row 5 must be an integer in [0, 5)');
    expect(() => getBatch(source, -1, 2)).toThrow('getBatch(): row -1 must be an integer in [0, 5)');
    expect(() => getBatch(source, 0, 0)).toThrow('getBatch(): bptt must be a positive integer, got 0');
    expect(() => batchStarts(source, 0)).toThrow('batchStarts(): bptt must be a positive integer, got 0');
    source.dispose();
  });
});
