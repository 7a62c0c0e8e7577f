/**
 * The example apps' own models export and match flint in ONNX Runtime. The apps do not export
 * their model modules as packages, so their sources are imported by path.
 */
import * as flint from '@flint/core';
import { it } from 'vitest';
import { CNN, MLP } from '../../../apps/mnist/src/models.ts';
import { SimpleNet } from '../../../apps/simplenet/src/simple-net.ts';
import { DEFAULT_SIZES, Generator } from '../../../apps/dcgan/src/models.ts';
import { GPT } from '../../../apps/char-gpt/src/model.ts';
import { RNNModel } from '../../../apps/char-lstm/src/model.ts';
import { onBackends } from './backends.ts';
import { checkExport } from './ort.ts';

const batchAxis = { dynamicAxes: { input_0: { 0: 'batch' } } };

/** Token ids in [0, vocab) of `shape`. */
const tokens = (shape: number[], vocab: number): flint.Tensor => flint.randint(0, vocab, shape).int();

onBackends('apps', () => {
  it('mnist: MLP and CNN', async () => {
    for (const model of [new MLP(), new CNN()]) {
      await checkExport(model, [flint.rand([2, 1, 28, 28])], { ...batchAxis, runs: [[flint.rand([3, 1, 28, 28])]] });
    }
  });

  it('simplenet: SimpleNet', async () => {
    await checkExport(new SimpleNet(), [flint.randn([4, 6])], { ...batchAxis, runs: [[flint.randn([7, 6])]] });
  });

  it('dcgan: the generator, with batch statistics gathered in training', async () => {
    const generator = new Generator(DEFAULT_SIZES);
    flint.noGrad(() => generator.forward(flint.randn([8, DEFAULT_SIZES.nz, 1, 1])).dispose());
    await checkExport(generator, [flint.randn([2, DEFAULT_SIZES.nz, 1, 1])], { ...batchAxis, runs: [[flint.randn([3, DEFAULT_SIZES.nz, 1, 1])]] });
  });

  it('char-gpt: the GPT logits, causal attention and tied head included', async () => {
    const gpt = new GPT({ blockSize: 16, vocabSize: 12, nLayer: 2, nHead: 2, nEmbd: 16, dropout: 0.1, bias: true });
    await checkExport(gpt, [tokens([2, 8], 12)], { ...batchAxis, runs: [[tokens([3, 8], 12)]] });
  });

  it('char-lstm: the RNN model, logits and next state', async () => {
    const model = new RNNModel({ ntoken: 12, ninp: 8, nhid: 8, nlayers: 2, dropout: 0.2, tied: true });
    const batch = (n: number) => [tokens([5, n], 12), model.initHidden(n)];
    await checkExport(model, batch(2), {
      inputNames: ['input', 'h0', 'c0'],
      dynamicAxes: { input: { 1: 'batch' }, h0: { 1: 'batch' }, c0: { 1: 'batch' } },
      runs: [batch(3)],
    });
  });
});
