/** Text sampled from the model, streamed in pieces so that a page can draw between them. */
import * as flint from '@flint/core';
import type { GenerateOptions, GPT } from './model.ts';
import type { Vocabulary } from './text.ts';

export interface SampleOptions extends GenerateOptions {
  /** Characters generated before each piece is read back and yielded (default 16). */
  chunk?: number;
}

/**
 * Continues `prompt` by `length` sampled characters, yielding them in pieces of `chunk` as they are
 * read back (asynchronously: this works on every backend, webgpu included). Joined, the pieces are
 * what `model.generate(prompt, length, options)` gives after the prompt, drawn from the same
 * generator. The model samples in eval mode and returns to its former mode when the sampling ends
 * or is abandoned.
 */
export async function* sampleText(model: GPT, vocab: Vocabulary, prompt: string, length: number, options: SampleOptions = {}): AsyncGenerator<string, void, undefined> {
  const { chunk = 16, ...generateOptions } = options;
  if (prompt.length === 0) throw new RangeError('sampleText(): the prompt must hold at least one character');
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`sampleText(): length must be a non-negative integer, got ${length}`);
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`sampleText(): chunk must be a positive integer, got ${chunk}`);
  const ids = vocab.encode(prompt);
  const device = model.parameters()[0]!.device;
  const wasTraining = model.training;
  model.eval();
  // Only the last blockSize characters condition the next one, so only they are carried along.
  let context = flint.tidy(() => flint.tensor(ids.subarray(Math.max(0, ids.length - model.config.blockSize)), { dtype: 'int32', device }).view(1, -1));
  try {
    for (let done = 0; done < length; ) {
      const n = Math.min(chunk, length - done);
      const out = model.generate(context, n, generateOptions);
      context.dispose();
      const t = out.shape[1]!;
      const keep = Math.min(t, model.config.blockSize);
      context = out.narrow(1, t - keep, keep);
      const next = out.narrow(1, t - n, n);
      out.dispose();
      const piece = vocab.decode(await next.data());
      next.dispose();
      done += n;
      yield piece;
    }
  } finally {
    context.dispose();
    model.train(wasTraining);
  }
}
