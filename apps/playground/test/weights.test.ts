import * as flint from '@flint/core';
import '@flint/cpu-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from '../src/models.ts';
import { fileName, loadWeights, saveWeights } from '../src/weights.ts';

beforeAll(async () => {
  await flint.setBackend('cpu');
});

describe('weights as safetensors', () => {
  it('round-trips a CNN: same kind, same parameters, same outputs', async () => {
    flint.manualSeed(1);
    const model = createModel('cnn');
    const bytes = await saveWeights(model, 'cnn');
    flint.manualSeed(2);
    const { model: loaded, kind } = loadWeights(bytes, fileName('cnn'));
    expect(kind).toBe('cnn');
    const x = flint.randn([2, 1, 28, 28]);
    expect(await loaded.forward(x).tolist()).toEqual(await model.forward(x).tolist());
    expect(fileName('cnn')).toBe('flint-mnist-cnn.safetensors');
  });

  it('says which file is wrong and why: not safetensors, no model named, weights of another shape', async () => {
    expect(() => loadWeights(new Uint8Array(7), 'a.safetensors')).toThrow('a.safetensors: deserialize(): safetensors: the data is 7 bytes, too short');
    const unnamed = await flint.serialize(new Map([['weight', flint.zeros([2])]]));
    expect(() => loadWeights(unnamed, 'b.safetensors')).toThrow('b.safetensors: metadata "model" should be one of mlp, cnn, got undefined');
    const mlpAsCnn = await saveWeights(createModel('mlp'), 'cnn');
    expect(() => loadWeights(mlpAsCnn, 'c.safetensors')).toThrow(/^c\.safetensors: /);
  });
});
