/**
 * The corpus as word_language_model arranges it: train, validation and test splits of the
 * character ids, each laid out by `batchify` as independent columns, read by `getBatch` in chunks
 * of `bptt` steps.
 */
import * as flint from '@flint/core';
import { splitIds } from '@flint/example-char-gpt/corpus';

/** The first 80% of `ids` to train on, then 10% to validate and 10% to test, in the book's order. */
export function splitCorpus(ids: Int32Array): { train: Int32Array; val: Int32Array; test: Int32Array } {
  const { train, val: rest } = splitIds(ids, 0.8);
  const { train: val, val: test } = splitIds(rest, 0.5);
  return { train, val, test };
}

/**
 * `ids` cut into `batchSize` equal runs, one per column: [ids.length / batchSize, batchSize] int32
 * on `device`, the remainder dropped. Columns are read as separate sequences, so the dependence of
 * the first id of a column on the last of the previous one is never learnt.
 */
export function batchify(ids: Int32Array, batchSize: number, device: string): flint.Tensor {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchify(): batchSize must be a positive integer, got ${batchSize}`);
  const nbatch = Math.floor(ids.length / batchSize);
  if (nbatch < 2) throw new RangeError(`batchify(): ${ids.length} ids make fewer than 2 rows of ${batchSize}`);
  return flint.tidy(() => flint.tensor(ids.subarray(0, nbatch * batchSize), { device }).view(batchSize, -1).transpose(0, 1).contiguous());
}

/**
 * Rows i .. i + seqLen of `source` [N, batch] as the input [seqLen, batch], and the rows one step
 * later, flattened, as the targets [seqLen * batch]; seqLen is `bptt`, or less at the end.
 */
export function getBatch(source: flint.Tensor, i: number, bptt: number): [flint.Tensor, flint.Tensor] {
  checkBptt('getBatch', bptt);
  const rows = source.shape[0]!;
  if (!Number.isInteger(i) || i < 0 || i >= rows - 1) throw new RangeError(`getBatch(): row ${i} must be an integer in [0, ${rows - 1})`);
  const seqLen = Math.min(bptt, rows - 1 - i);
  return flint.tidy(() => [source.narrow(0, i, seqLen), source.narrow(0, i + 1, seqLen).reshape(-1)]);
}

/** The row at which each chunk of {@link getBatch} starts: 0, bptt, 2 bptt, ... while a target row is left. */
export function batchStarts(source: flint.Tensor, bptt: number): number[] {
  checkBptt('batchStarts', bptt);
  const starts: number[] = [];
  for (let i = 0; i < source.shape[0]! - 1; i += bptt) starts.push(i);
  return starts;
}

function checkBptt(fn: string, bptt: number): void {
  if (!Number.isInteger(bptt) || bptt < 1) throw new RangeError(`${fn}(): bptt must be a positive integer, got ${bptt}`);
}
