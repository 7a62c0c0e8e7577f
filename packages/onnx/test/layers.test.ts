/** Each covered module family exports, runs in ONNX Runtime, and matches flint, also at another batch size. */
import * as flint from '@flint/core';
import { it } from 'vitest';
import { onBackends } from './backends.ts';
import { checkExport } from './ort.ts';

const { nn } = flint;
type Forward = flint.nn.Module & { forward(x: flint.Tensor): flint.Tensor };

/** Exports with a dynamic batch, traced at batch 2 and run at 2 and 5. */
async function checkBatched(model: Forward, shape: readonly number[]): Promise<void> {
  await checkExport(model, [flint.randn([2, ...shape])], {
    inputNames: ['x'],
    dynamicAxes: { x: { 0: 'batch' } },
    runs: [[flint.randn([5, ...shape])]],
  });
}

onBackends('layers', () => {
  it('Linear on matrices and on [batch, seq, features]', async () => {
    await checkBatched(new nn.Linear(6, 4), [6]);
    await checkBatched(new nn.Linear(6, 4, { bias: false }), [3, 6]);
  });

  it('Conv1d and Conv2d with stride, padding, dilation, groups and same padding', async () => {
    await checkBatched(new nn.Conv1d(4, 6, 3, { stride: 2, padding: 1, groups: 2 }), [4, 11]);
    await checkBatched(new nn.Conv2d(3, 4, 3, { stride: [2, 1], padding: [1, 2], dilation: 2 }), [3, 9, 8]);
    await checkBatched(new nn.Conv2d(2, 4, [3, 4], { padding: 'same', bias: false }), [2, 7, 6]);
  });

  it('ConvTranspose2d with stride, padding and output padding', async () => {
    await checkBatched(new nn.ConvTranspose2d(4, 3, 4, { stride: 2, padding: 1 }), [4, 5, 5]);
    await checkBatched(new nn.ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1, outputPadding: 1, bias: false }), [2, 4, 3]);
  });

  it('MaxPool2d, AvgPool2d and AdaptiveAvgPool2d', async () => {
    await checkBatched(new nn.MaxPool2d(2), [3, 8, 7]);
    await checkBatched(new nn.MaxPool2d(3, { stride: 2, padding: 1 }), [2, 9, 9]);
    await checkBatched(new nn.AvgPool2d(3, { stride: 2, padding: 1 }), [2, 9, 9]);
    await checkBatched(new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [2, 9, 9]);
    await checkBatched(new nn.AdaptiveAvgPool2d(1), [3, 5, 6]);
    await checkBatched(new nn.AdaptiveAvgPool2d([2, 3]), [3, 4, 6]);
  });

  it('BatchNorm2d and BatchNorm1d in evaluation, with running statistics from training', async () => {
    for (const [bn, shape] of [[new nn.BatchNorm2d(3), [3, 4, 4]], [new nn.BatchNorm1d(5), [5]]] as const) {
      flint.noGrad(() => {
        for (let i = 0; i < 3; i++) bn.forward(flint.randn([8, ...shape]).mul(2).add(1)).dispose();
      });
      await checkBatched(bn, shape);
    }
  });

  it('LayerNorm with and without affine parameters', async () => {
    await checkBatched(new nn.LayerNorm(6), [3, 6]);
    await checkBatched(new nn.LayerNorm([3, 4], { elementwiseAffine: false }), [3, 4]);
  });

  it('Dropout and Flatten in evaluation', async () => {
    await checkBatched(new nn.Sequential(new nn.Dropout(0.5), new nn.Flatten(), new nn.Linear(12, 2)), [3, 4]);
  });

  it('Embedding of int32 indices', async () => {
    const model = new nn.Embedding(10, 4);
    await checkExport(model, [flint.tensor([[1, 2, 3], [9, 0, 4]], { dtype: 'int32' })], {
      dynamicAxes: { input_0: { 0: 'batch', 1: 'seq' } },
      runs: [[flint.tensor([[5], [6], [7], [8]], { dtype: 'int32' })]],
    });
  });

  it('activations', async () => {
    const activations: Forward[] = [
      new nn.ReLU(), new nn.GELU(), new nn.GELU('tanh'), new nn.SiLU(), new nn.Tanh(), new nn.Sigmoid(),
      new nn.LeakyReLU(0.2), new nn.Softplus(), new nn.Hardtanh(), new nn.ReLU6(), new nn.Hardswish(), new nn.Hardsigmoid(),
      new nn.Mish(), new nn.ELU(), new nn.SELU(), new nn.Softmax(1), new nn.LogSoftmax(-1),
    ];
    for (const activation of activations) await checkBatched(activation, [7]);
  });
});
