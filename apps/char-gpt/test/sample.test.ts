/**
 * The `./model` entry: sampling streamed in pieces, which must be exactly what `generate` draws,
 * and an import graph that reaches no Node built-in (another app bundles it for the browser).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as flint from '@flint/core';
import '@flint/cpu-js';
import { GPT, sampleText, Vocabulary } from '../src/lib.ts';

const vocab = Vocabulary.fromText('abcdefgh ');
const config = { blockSize: 8, vocabSize: vocab.size, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0, bias: true };

async function collect(pieces: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of pieces) out.push(piece);
  return out;
}

beforeAll(async () => {
  await flint.setBackend('cpu');
});

describe('sampleText', () => {
  it('yields pieces of the chunk size that join to what generate draws from the same seed, past the block size', async () => {
    flint.manualSeed(3);
    const model = new GPT(config);
    const before = flint.memory().tensors;
    // 21 characters after a 3-character prompt: the context outgrows the block size of 8.
    const pieces = await collect(sampleText(model, vocab, 'abc', 21, { chunk: 5, temperature: 0.9, topK: 4, generator: new flint.Generator(7) }));
    expect(pieces.map((p) => p.length)).toEqual([5, 5, 5, 5, 1]);
    expect([...pieces.join('')].every((c) => vocab.chars.includes(c))).toBe(true);
    expect(flint.memory().tensors).toBe(before);
    model.eval();
    const prompt = flint.tidy(() => flint.tensor(vocab.encode('abc'), { dtype: 'int32' }).view(1, -1));
    const whole = model.generate(prompt, 21, { temperature: 0.9, topK: 4, generator: new flint.Generator(7) });
    expect(pieces.join('')).toBe(vocab.decode(await whole.data()).slice(3));
    for (const t of [prompt, whole]) t.dispose();
    model.dispose();
  });

  it('samples in eval mode and gives the model back in the mode it had, also when abandoned', async () => {
    const model = new GPT(config);
    const modes: boolean[] = [];
    for await (const _ of sampleText(model, vocab, 'a', 6, { chunk: 2 })) {
      modes.push(model.training);
      break;
    }
    expect([modes, model.training]).toEqual([[false], true]);
    model.eval();
    await collect(sampleText(model, vocab, 'a', 2));
    expect(model.training).toBe(false);
    model.dispose();
  });

  it('rejects an empty prompt, a bad length or chunk, and characters outside the vocabulary, leaving the model as it was', async () => {
    const model = new GPT(config);
    const before = flint.memory().tensors;
    await expect(collect(sampleText(model, vocab, '', 4))).rejects.toThrow('sampleText(): the prompt must hold at least one character');
    await expect(collect(sampleText(model, vocab, 'a', -1))).rejects.toThrow('sampleText(): length must be a non-negative integer, got -1');
    await expect(collect(sampleText(model, vocab, 'a', 2.5))).rejects.toThrow('sampleText(): length must be a non-negative integer, got 2.5');
    await expect(collect(sampleText(model, vocab, 'a', 4, { chunk: 0 }))).rejects.toThrow('sampleText(): chunk must be a positive integer, got 0');
    await expect(collect(sampleText(model, vocab, 'aZ', 4))).rejects.toThrow('Vocabulary.encode(): character "Z" is not in the vocabulary');
    expect([model.training, flint.memory().tensors]).toEqual([true, before]);
    expect(await collect(sampleText(model, vocab, 'a', 0))).toEqual([]);
    model.dispose();
  });
});

it('the ./model entry imports only @flint/core and its own modules, none of them Node-only', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, string> };
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (url: URL): void => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    for (const [, specifier] of readFileSync(url, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)'/gms)) {
      if (specifier!.startsWith('.')) visit(new URL(specifier!, url));
      else external.add(specifier!);
    }
  };
  visit(new URL(`../${pkg.exports['./model']}`, import.meta.url));
  expect([...seen].map((href) => fileURLToPath(href).split('/src/')[1]).sort()).toEqual(['batch.ts', 'lib.ts', 'model.ts', 'optim.ts', 'sample.ts', 'text.ts']);
  expect([...external]).toEqual(['@flint/core']);
});
