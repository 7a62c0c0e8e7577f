/**
 * flint.nn's activation, normalisation, regularisation and distance modules beyond their fixture
 * values (fixtures/nn2.json): reprs, parameter names and default initialisation, state-dict round
 * trips, the random modules checked statistically and for seeded reproducibility, memory, and bad
 * arguments rejected with PyTorch's messages.
 */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { valuesOf } from '../helpers.ts';
import { expectThrowsClean } from './errors.ts';

const { nn } = flint;
type Tensor = flint.Tensor;
type Unary = flint.nn.Module & { forward(x: Tensor): Tensor };

const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const std = (v: readonly number[]) => {
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
};

/** The module's output on `x` in training, its random draws from a generator seeded `seed`. */
function seededForward(make: (g: flint.Generator) => Unary, x: Tensor, seed: number): Promise<number[]> {
  const m = make(new flint.Generator(seed)).train();
  return valuesOf(() => m.forward(x)).finally(() => m.dispose());
}

export function modules2Suite(ctx: SuiteContext): void {
  const on = { device: ctx.name };

  describe('nn modules II: construction', () => {
    it('print like PyTorch', () => {
      const modules = flint.tidy(() => [
        new nn.ELU(), new nn.ELU(0.5), new nn.SELU(), new nn.CELU(), new nn.Mish(), new nn.Hardtanh(), new nn.ReLU6(), new nn.Hardswish(),
        new nn.Hardsigmoid(), new nn.LogSigmoid(), new nn.Softsign(), new nn.Tanhshrink(), new nn.Softshrink(), new nn.Hardshrink(0.3),
        new nn.Threshold(0.1, 20), new nn.PReLU(), new nn.PReLU(3, 0.1), new nn.RReLU(), new nn.RReLU(0.1, 0.3), new nn.GLU(), new nn.Softmin(1),
        new nn.Softplus(), new nn.Softplus(2, 10), new nn.Softmax2d(), new nn.Identity(3, { a: 4 }), new nn.Unflatten(1, [2, 3]),
        new nn.CosineSimilarity(), new nn.PairwiseDistance(), new nn.Bilinear(2, 3, 4), new nn.Dropout1d(), new nn.Dropout2d(0.2),
        new nn.AlphaDropout(), new nn.InstanceNorm1d(3), new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }),
        new nn.BatchNorm3d(3), new nn.LocalResponseNorm(2), new nn.LayerNorm(4, { bias: false }), new nn.RMSNorm(4), new nn.RMSNorm([2, 3], { eps: 1e-6 }),
        new nn.EmbeddingBag(5, 3), new nn.EmbeddingBag(5, 3, { mode: 'max', paddingIdx: -1 }),
      ]);
      // print(...) of the same modules in torch 1.13 (RMSNorm and LayerNorm(bias=False): torch 2.4).
      expect(modules.map(String)).toEqual([
        'ELU(alpha=1.0)', 'ELU(alpha=0.5)', 'SELU()', 'CELU(alpha=1.0)', 'Mish()', 'Hardtanh(min_val=-1.0, max_val=1.0)', 'ReLU6()', 'Hardswish()',
        'Hardsigmoid()', 'LogSigmoid()', 'Softsign()', 'Tanhshrink()', 'Softshrink(0.5)', 'Hardshrink(0.3)',
        'Threshold(threshold=0.1, value=20)', 'PReLU(num_parameters=1)', 'PReLU(num_parameters=3)', 'RReLU(lower=0.125, upper=0.3333333333333333)',
        'RReLU(lower=0.1, upper=0.3)', 'GLU(dim=-1)', 'Softmin(dim=1)', 'Softplus(beta=1, threshold=20)', 'Softplus(beta=2, threshold=10)',
        'Softmax2d()', 'Identity()', 'Unflatten(dim=1, unflattened_size=(2, 3))', 'CosineSimilarity()', 'PairwiseDistance()',
        'Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)', 'Dropout1d(p=0.5, inplace=False)', 'Dropout2d(p=0.2, inplace=False)',
        'AlphaDropout(p=0.5, inplace=False)', 'InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False)',
        'InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
        'BatchNorm3d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)', 'LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)',
        'LayerNorm((4,), eps=1e-05, elementwise_affine=True)', 'RMSNorm((4,), eps=None, elementwise_affine=True)',
        'RMSNorm((2, 3), eps=1e-06, elementwise_affine=True)', 'EmbeddingBag(5, 3, mode=mean)', 'EmbeddingBag(5, 3, mode=max, padding_idx=4)',
      ]);
      for (const m of modules) m.dispose();
    });

    it('name state as PyTorch: LayerNorm without bias, PReLU, InstanceNorm, BatchNorm3d, RMSNorm, Bilinear', () => {
      const keys = (m: flint.nn.Module) => [...m.stateDict().keys()];
      const cases: Array<[flint.nn.Module, string[]]> = flint.tidy(() => [
        // list(m.state_dict().keys()) in torch (LayerNorm(4, bias=False), RMSNorm(4): torch 2.4).
        [new nn.LayerNorm(4, { bias: false }), ['weight']],
        [new nn.LayerNorm(4, { bias: false, elementwiseAffine: false }), []],
        [new nn.PReLU(3), ['weight']],
        [new nn.InstanceNorm2d(3), []],
        [new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']],
        [new nn.BatchNorm3d(3), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']],
        [new nn.RMSNorm(4), ['weight']],
        [new nn.RMSNorm(4, { elementwiseAffine: false }), []],
        [new nn.Bilinear(2, 3, 4), ['weight', 'bias']],
        [new nn.Bilinear(2, 3, 4, { bias: false }), ['weight']],
        [new nn.EmbeddingBag(5, 3), ['weight']],
      ]);
      expect(cases.map(([m]) => flint.tidy(() => keys(m)))).toEqual(cases.map(([, k]) => k));
      for (const [m] of cases) m.dispose();
    });

    it('initialise as PyTorch: PReLU at init, Bilinear U(-1/sqrt(in1), 1/sqrt(in1))', async () => {
      const prelu = new nn.PReLU(3, 0.1);
      expect(prelu.weight.shape).toEqual([3]);
      expect(await valuesOf(() => prelu.weight.mul(1))).toEqual([0.1, 0.1, 0.1].map(Math.fround));
      prelu.dispose();
      const bl = new nn.Bilinear(16, 3, 40);
      expect(bl.weight.shape).toEqual([40, 16, 3]);
      const all = await valuesOf(() => flint.cat([bl.weight.reshape(-1), bl.bias!]));
      expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(Math.max(...all)).toBeGreaterThan(0.2);
      expect(Math.abs(std(all) - 0.25 / Math.sqrt(3))).toBeLessThan(0.01);
      bl.dispose();
    });

    it('RMSNorm with eps null uses the float32 machine epsilon 2^-23', async () => {
      const m = new nn.RMSNorm(2, { elementwiseAffine: false });
      // x / sqrt(mean(x^2) + eps) for x = [1e-3, 1e-3]: 1e-3 / sqrt(1e-6 + 2^-23).
      const x = flint.tensor([1e-3, 1e-3], on);
      const expected = 1e-3 / Math.sqrt(1e-6 + 2 ** -23);
      for (const v of await valuesOf(() => m.forward(x))) expect(v).toBeCloseTo(expected, 5);
      x.dispose();
      m.dispose();
    });

    it('a state dict round-trips through safetensors under PyTorch\'s keys', async () => {
      const build = () => new nn.Sequential(new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }), new nn.PReLU(3), new nn.LayerNorm(5, { bias: false }));
      const [a, b] = flint.tidy(() => [build().to(ctx.name), build().to(ctx.name)]);
      const x = flint.randn([2, 3, 5], on);
      flint.tidy(() => a.forward(x));
      const state = a.stateDict();
      const bytes = await flint.serialize(state);
      for (const t of state.values()) t.dispose();
      const { tensors } = flint.deserialize(bytes, on);
      expect([...tensors.keys()]).toEqual(['0.weight', '0.bias', '0.running_mean', '0.running_var', '0.num_batches_tracked', '1.weight', '2.weight']);
      expect(b.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
      for (const t of tensors.values()) t.dispose();
      a.eval();
      b.eval();
      const [ya, yb] = flint.tidy(() => [a.forward(x), b.forward(x)]);
      expect(await yb.tolist()).toEqual(await ya.tolist());
      for (const t of [x, ya, yb]) t.dispose();
      a.dispose();
      b.dispose();
    });
  });

  describe('nn modules II: random modules', () => {
    it('Dropout1d/2d/3d zero whole channels, about p of them, and scale the rest by 1 / (1 - p)', async () => {
      const cases: Array<[(g: flint.Generator) => Unary, number[], number]> = [
        [(g) => new nn.Dropout1d(0.3, { generator: g }), [40, 50, 3], 3],
        [(g) => new nn.Dropout1d(0.3, { generator: g }), [2000, 3], 3],
        [(g) => new nn.Dropout2d(0.3, { generator: g }), [40, 50, 2, 2], 4],
        [(g) => new nn.Dropout2d(0.3, { generator: g }), [40, 50, 3], 3],
        [(g) => new nn.Dropout3d(0.3, { generator: g }), [40, 50, 2, 1, 2], 4],
        [(g) => new nn.Dropout3d(0.3, { generator: g }), [2000, 2, 1, 2], 4],
      ];
      for (const [make, shape, perChannel] of cases) {
        const x = flint.ones(shape, on);
        const values = await seededForward(make, x, 5);
        let dropped = 0;
        for (let c = 0; c < values.length; c += perChannel) {
          const channel = values.slice(c, c + perChannel);
          // Each channel is all 0 or all 1 / 0.7.
          expect(new Set(channel).size, `channel ${c / perChannel} of ${shape}`).toBe(1);
          if (channel[0] === 0) dropped++;
          else expect(channel[0]).toBeCloseTo(1 / 0.7, 5);
        }
        // 2000 channels: the dropped fraction's std is sqrt(0.3 * 0.7 / 2000) ~ 0.01.
        expect(Math.abs(dropped / 2000 - 0.3), `${shape}`).toBeLessThan(0.05);
        // The same seed gives the same channels; another seed other ones.
        expect(await seededForward(make, x, 5)).toEqual(values);
        expect(await seededForward(make, x, 6)).not.toEqual(values);
        x.dispose();
      }
    });

    it('AlphaDropout keeps mean 0 and variance 1 of standard normal input, and sets dropped elements to one value', async () => {
      const x = flint.randn([100000], on);
      const make = (g: flint.Generator) => new nn.AlphaDropout(0.2, { generator: g });
      const [input, values] = [await valuesOf(() => x.mul(1)), await seededForward(make, x, 3)];
      expect(Math.abs(mean(values))).toBeLessThan(0.02);
      expect(Math.abs(std(values) - 1)).toBeLessThan(0.02);
      // a = 1 / sqrt((alpha'^2 p + 1)(1 - p)); dropped: -alpha' a + alpha' a p; kept: x a + alpha' a p.
      const alpha = 1.7580993408473766;
      const a = 1 / Math.sqrt((alpha * alpha * 0.2 + 1) * 0.8);
      const droppedValue = -alpha * a + alpha * a * 0.2;
      let [dropped, keptError] = [0, 0];
      values.forEach((v, i) => {
        if (Math.abs(v - droppedValue) < 1e-5) dropped++;
        else keptError = Math.max(keptError, Math.abs(v - (input[i]! * a + alpha * a * 0.2)));
      });
      expect(keptError).toBeLessThan(1e-4);
      expect(Math.abs(dropped / values.length - 0.2)).toBeLessThan(0.01);
      expect(await seededForward(make, x, 3)).toEqual(values);
      x.dispose();
    });

    it('RReLU in training scales negative inputs by slopes drawn from U(lower, upper), seeded', async () => {
      const x = flint.cat([flint.full([20000], -2, on), flint.full([10], 3, on)]);
      const make = (g: flint.Generator) => new nn.RReLU(0.1, 0.4, { generator: g });
      const values = await seededForward(make, x, 11);
      const slopes = values.slice(0, 20000).map((v) => v / -2);
      expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1 - 1e-6);
      expect(Math.max(...slopes)).toBeLessThanOrEqual(0.4 + 1e-6);
      // U(0.1, 0.4): mean 0.25, std 0.3 / sqrt(12).
      expect(Math.abs(mean(slopes) - 0.25)).toBeLessThan(0.005);
      expect(Math.abs(std(slopes) - 0.3 / Math.sqrt(12))).toBeLessThan(0.005);
      expect(values.slice(20000)).toEqual(new Array(10).fill(3));
      expect(await seededForward(make, x, 11)).toEqual(values);
      x.dispose();
    });

    it('InstanceNorm in training updates the running statistics but never advances num_batches_tracked, as torch', async () => {
      const m = new nn.InstanceNorm1d(2, { trackRunningStats: true }).to(ctx.name);
      const x = flint.randn([3, 2, 4], on);
      flint.tidy(() => m.forward(x));
      expect(await m.numBatchesTracked!.item()).toBe(0);
      expect(await m.runningMean!.tolist()).not.toEqual([0, 0]);
      x.dispose();
      m.dispose();
    });

    it('forward and backward of the parameterised modules inside tidy leave memory unchanged', () => {
      const modules = flint.tidy(() => [new nn.PReLU(3), new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }), new nn.RMSNorm(4), new nn.LocalResponseNorm(3)]);
      for (const m of modules) m.to(ctx.name);
      const bl = new nn.Bilinear(4, 4, 2).to(ctx.name);
      const x = flint.randn([2, 3, 4], on).requiresGrad_();
      const before = flint.memory().tensors;
      flint.tidy(() => {
        for (const m of modules) (m as Unary).forward(x).sum().backward();
        bl.forward(x, x).sum().backward();
        new nn.Dropout2d(0.5).forward(x).sum().dispose();
        new nn.AlphaDropout(0.5).forward(x).sum().dispose();
      });
      // The gradients the input and the parameters now hold are the only new tensors.
      const grads = [x, ...[...modules, bl].flatMap((m) => m.parameters())].filter((p) => p.grad).length;
      expect(flint.memory().tensors).toBe(before + grads);
      x.dispose();
      for (const m of [...modules, bl]) m.dispose();
    });
  });

  describe('nn modules II: errors', () => {
    it('reject bad arguments with PyTorch\'s messages and leak nothing', () =>
      flint.tidy(() => {
        const [v4, m32, m34, m35, t245, t345, bn4d, i3] = [[4], [3, 2], [3, 4], [3, 5], [2, 4, 5], [3, 4, 5], [2, 3, 4, 4], [3]].map((s) => flint.zeros(s, on));
        const [m52, m53, m55, m24] = [[5, 2], [5, 3], [5, 5], [2, 4]].map((s) => flint.zeros(s, on));
        // The messages torch 1.13 raises for the same calls.
        expectThrowsClean(() => new nn.Dropout1d(0.5).forward(v4!), /dropout1d: Expected 2D or 3D input, but received a 1D input\. Note that dropout1d exists/);
        expectThrowsClean(() => new nn.Dropout2d(1.5), /dropout probability has to be between 0 and 1, but got 1\.5/);
        expectThrowsClean(() => new nn.AlphaDropout(-0.1), /dropout probability has to be between 0 and 1, but got -0\.1/);
        const prelu = new nn.PReLU(3);
        expectThrowsClean(() => prelu.forward(t245!), /Mismatch of parameter numbers and input channel size\. Found parameter numbers = 3 and channel size = 4\./);
        expectThrowsClean(() => new nn.GLU().forward(m35!), /Halving dimension must be even, but dimension 1 is size 5/);
        expectThrowsClean(() => new nn.CELU(0).forward(i3!), /ZeroDivisionError: alpha cannot be 0 for CELU/);
        expectThrowsClean(() => new nn.Softshrink(-1).forward(i3!), /lambda must be greater or equal to 0, but found to be -1\./);
        expectThrowsClean(() => new nn.RReLU(0.5, 0.1), /Lower bound should be less than or equal to the upper bound/);
        expectThrowsClean(() => new nn.Softmax2d().forward(m34!), /Softmax2d requires a 3D or 4D tensor as input/);
        expectThrowsClean(() => new nn.LocalResponseNorm(2).forward(m32!), /Expected 3D or higher dimensionality input \(got 2 dimensions\)/);
        expectThrowsClean(() => new nn.InstanceNorm1d(3).forward(i3!), /expected 2D or 3D input \(got 1D input\)/);
        const affine = new nn.InstanceNorm1d(3, { affine: true });
        // torch 2.x's message (1.13 fails later, on the weight's size).
        expectThrowsClean(() => affine.forward(t245!), /expected input's size at dim=1 to match num_features \(3\), but got: 4\./);
        const bn3 = new nn.BatchNorm3d(3);
        expectThrowsClean(() => bn3.forward(bn4d!), /expected 5D input \(got 4D input\)/);
        expectThrowsClean(() => new nn.Unflatten(1, [2, 3]).forward(m55!), /unflatten.*Provided sizes \[2, 3\] don't multiply up to the size of dim 1 \(5\) in the input tensor/);
        const ln = new nn.LayerNorm(4, { bias: false });
        expectThrowsClean(() => ln.forward(m35!), /Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of size\[3, 5\]/);
        const rms = new nn.RMSNorm(4);
        expectThrowsClean(() => rms.forward(m35!), /Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of size\[3, 5\]/);
        const bl = new nn.Bilinear(2, 3, 4);
        expectThrowsClean(() => bl.forward(m52!, m52!), /bilinear\(\): input2 size does not match weight size: got 2 but expected 3/);
        expectThrowsClean(() => bl.forward(m53!, m53!), /bilinear\(\): input1 size does not match weight size: got 3 but expected 2/);
        expectThrowsClean(() => bl.forward(m52!, t345!), /bilinear\(\): input1 and input2 must have the same number of dimensions/);
        expectThrowsClean(() => new nn.CosineSimilarity().forward(m34!, m24!), /\[3, 4\].*\[2, 4\]/);
        const bag = new nn.EmbeddingBag(5, 3);
        const [rows, flat, offsets, weights] = [flint.zeros([2, 3], { ...on, dtype: 'int32' }), flint.zeros([4], { ...on, dtype: 'int32' }), flint.tensor([0, 2], { ...on, dtype: 'int32' }), flint.ones([4], on)];
        expectThrowsClean(() => bag.forward(flat, offsets, weights), /per_sample_weights is only supported for mode='sum' \(got mode='mean'\)/);
        expectThrowsClean(() => bag.forward(rows, offsets), /if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences/);
        expectThrowsClean(() => bag.forward(flat), /offsets has to be a 1D Tensor but got None/);
        expectThrowsClean(() => new nn.EmbeddingBag(5, 3, { maxNorm: 1 }), /EmbeddingBag\(\): the maxNorm option is not supported/);
        expectThrowsClean(() => new nn.EmbeddingBag(5, 3, { sparse: true }), /EmbeddingBag\(\): the sparse option is not supported/);
        for (const m of [prelu, affine, bn3, ln, rms, bl, bag]) m.dispose();
      }));
  });
}
