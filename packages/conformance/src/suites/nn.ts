/**
 * flint.nn's module mechanics (registration, state dicts, modes, devices, memory), default
 * initialisation, utilities and errors. Layer and loss values are checked by fixtures/nn.json;
 * expectations here come from PyTorch 1.13 (pasted) or hand computation.
 */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectValues, onDevice, readsSynchronously, tidyChecks, valuesOf, withSavedSeed } from '../helpers.ts';

const { nn } = flint;
type Tensor = flint.Tensor;

/**
 * A small nested model. PyTorch's twin:
 *   self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU())
 *   self.scale = nn.Parameter(torch.ones(2))
 *   self.register_buffer('step_count', torch.zeros(()))
 *   self.register_buffer('cache', torch.zeros(2), persistent=False)
 *   self.head_layers = nn.ModuleList([nn.Linear(4, 3), nn.Linear(3, 2, bias=False)])
 */
class Net extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU());
  scale = new nn.Parameter(flint.ones([2]));
  declare stepCount: Tensor;
  headLayers = new nn.ModuleList([new nn.Linear(4, 3), new nn.Linear(3, 2, { bias: false })]);

  constructor() {
    super();
    this.registerBuffer('stepCount', flint.zeros([]));
    this.registerBuffer('cache', flint.zeros([2]), false);
  }

  forward(x: Tensor): Tensor {
    const pooled = this.features.forward(x).mean([2, 3]);
    const [first, second] = [...this.headLayers] as [flint.nn.Linear, flint.nn.Linear];
    return second.forward(first.forward(pooled).tanh()).mul(this.scale);
  }
}

const liveTensors = (): number => flint.memory().tensors;

/** Values of every parameter and buffer, by name. */
async function snapshot(m: flint.nn.Module): Promise<Record<string, unknown>> {
  const reads = flint.tidy(() => [...m.stateDict()].map(([k, t]) => t.tolist().then((v) => [k, v] as const)));
  return Object.fromEntries(await Promise.all(reads));
}

export function nnSuite(ctx: SuiteContext): void {
  describe('nn: Module', () => {
    it('registers parameters, buffers and children in PyTorch order with dotted snake_case names', () => {
      const net = flint.tidy(() => new Net());
      // From torch: [n for n, _ in net.named_parameters()], net.state_dict().keys(), named_buffers, named_modules.
      expect(net.namedParameters().map(([n]) => n)).toEqual([
        'scale', 'features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias', 'head_layers.0.weight', 'head_layers.0.bias', 'head_layers.1.weight',
      ]);
      const state = net.stateDict();
      expect([...state.keys()]).toEqual([
        'scale', 'step_count', 'features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias', 'features.1.running_mean',
        'features.1.running_var', 'features.1.num_batches_tracked', 'head_layers.0.weight', 'head_layers.0.bias', 'head_layers.1.weight',
      ]);
      for (const t of state.values()) t.dispose();
      expect(net.namedBuffers().map(([n]) => n)).toEqual(['step_count', 'cache', 'features.1.running_mean', 'features.1.running_var', 'features.1.num_batches_tracked']);
      expect(net.namedModules().map(([n]) => n)).toEqual(['', 'features', 'features.0', 'features.1', 'features.2', 'head_layers', 'head_layers.0', 'head_layers.1']);
      expect(net.namedChildren().map(([n]) => n)).toEqual(['features', 'head_layers']);
      expect(net.parameters(false)).toEqual([net.scale]);
      expect(net.parameters()).toHaveLength(8);
      net.dispose();
    });

    it('prints like PyTorch', () => {
      const net = flint.tidy(() => new Net());
      expect(String(net)).toBe(
        [
          'Net(',
          '  (features): Sequential(',
          '    (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))',
          '    (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
          '    (2): ReLU()',
          '  )',
          '  (head_layers): ModuleList(',
          '    (0): Linear(in_features=4, out_features=3, bias=True)',
          '    (1): Linear(in_features=3, out_features=2, bias=False)',
          '  )',
          ')',
        ].join('\n'),
      );
      const layers = flint.tidy(() => [
        new nn.Linear(6, 4), new nn.Conv2d(2, 4, [3, 5], { padding: 'same', groups: 2, bias: false, dilation: 2 }),
        new nn.Conv2d(4, 3, 3, { padding: 1, paddingMode: 'reflect' }),
        new nn.Conv1d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false }),
        new nn.ConvTranspose2d(4, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new nn.Conv3d(4, 6, [2, 3, 3], { padding: [1, 1, 0], paddingMode: 'replicate', groups: 2, bias: false }),
        new nn.ConvTranspose1d(4, 3, 3, { dilation: 2 }),
        new nn.Upsample({ scaleFactor: 2 }),
        new nn.Upsample({ size: [4, 5], mode: 'bilinear', alignCorners: true }),
        new nn.Upsample({ scaleFactor: [2, 1.5], mode: 'bicubic' }),
        new nn.PixelShuffle(2),
        new nn.PixelUnshuffle(3),
        new nn.Unfold(3, { padding: 1, stride: 2 }),
        new nn.Fold([4, 5], 2, { dilation: 1 }),
        new nn.MaxPool1d(3, { stride: 2 }),
        new nn.AvgPool1d(3),
        new nn.AdaptiveAvgPool1d(4),
        new nn.MaxUnpool2d(3, { stride: 2, padding: 1 }),
        new nn.AdaptiveMaxPool2d([2, 3]),
        new nn.MultiheadAttention(8, 2),
      ]);
      // Pasted from torch 1.13.
      expect(layers.map(String)).toEqual([
        'Linear(in_features=6, out_features=4, bias=True)',
        'Conv2d(2, 4, kernel_size=(3, 5), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, bias=False)',
        'Conv2d(4, 3, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), padding_mode=reflect)',
        'Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(2,), groups=2, bias=False)',
        'ConvTranspose2d(4, 3, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))',
        'Conv3d(4, 6, kernel_size=(2, 3, 3), stride=(1, 1, 1), padding=(1, 1, 0), groups=2, bias=False, padding_mode=replicate)',
        'ConvTranspose1d(4, 3, kernel_size=(3,), stride=(1,), dilation=(2,))',
        'Upsample(scale_factor=2.0, mode=nearest)',
        'Upsample(size=(4, 5), mode=bilinear)',
        'Upsample(scale_factor=(2.0, 1.5), mode=bicubic)',
        'PixelShuffle(upscale_factor=2)',
        'PixelUnshuffle(downscale_factor=3)',
        'Unfold(kernel_size=3, dilation=1, padding=1, stride=2)',
        'Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)',
        'MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)',
        'AvgPool1d(kernel_size=(3,), stride=(3,), padding=(0,))',
        'AdaptiveAvgPool1d(output_size=4)',
        'MaxUnpool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))',
        'AdaptiveMaxPool2d(output_size=(2, 3))',
        'MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n)',
      ]);
      for (const l of layers) l.dispose();
      net.dispose();
    });

    it('loadStateDict copies a stateDict across models in place', async () => {
      const [a, b] = flint.tidy(() => [new Net(), new Net()]);
      const params = b.parameters();
      flint.tidy(() => {
        flint.noGrad(() => a.features.at(1).buffers()[0]!.fill_(0.5));
        expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
      });
      expect(await snapshot(b)).toEqual(await snapshot(a));
      expect(b.parameters()).toEqual(params);
      params.forEach((p, i) => expect(p).toBe(params[i]));
      a.dispose();
      b.dispose();
    });

    it('loadStateDict reports missing and unexpected keys, and throws PyTorch errors', async () => {
      const fc = flint.tidy(() => new nn.Linear(3, 2));
      const on = { device: ctx.name };
      const [w, extra, wide] = [flint.ones([2, 3], on), flint.zeros([1], on), flint.zeros([2, 4], on)];
      expect(() => fc.loadStateDict({ weight: w, extra })).toThrow(
        'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". \n\tUnexpected key(s) in state_dict: "extra". ',
      );
      expect(fc.loadStateDict(new Map([['weight', w], ['extra', extra]]), { strict: false })).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
      await expectValues(fc.weight, [[1, 1, 1], [1, 1, 1]]);
      expect(() => fc.loadStateDict({ weight: wide }, { strict: false })).toThrow(
        'Error(s) in loading state_dict for Linear:\n\tsize mismatch for weight: copying a param with shape [2, 4] from checkpoint, the shape in current model is [2, 3].',
      );
      for (const t of [w, extra, wide]) t.dispose();
      fc.dispose();
    });

    it('train() and eval() set the mode of every submodule', () => {
      const net = flint.tidy(() => new Net());
      expect(net.modules().every((m) => m.training)).toBe(true);
      expect(net.eval()).toBe(net);
      expect(net.modules().some((m) => m.training)).toBe(false);
      net.train();
      expect(net.modules().every((m) => m.training)).toBe(true);
      const visited: string[] = [];
      net.headLayers.apply((m) => visited.push(m.constructor.name));
      expect(visited).toEqual(['Linear', 'Linear', 'ModuleList']);
      net.dispose();
    });

    it('zeroGrad drops and frees every gradient; requiresGrad_(false) freezes', () => {
      const net = flint.tidy(() => new Net());
      const x = flint.randn([2, 1, 4, 4]);
      flint.tidy(() => net.forward(x).sum().backward());
      expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
      const before = liveTensors();
      net.zeroGrad();
      expect(net.parameters().every((p) => p.grad === null)).toBe(true);
      expect(liveTensors()).toBe(before - 8);
      net.features.requiresGrad_(false);
      flint.tidy(() => net.forward(x).sum().backward());
      expect(net.features.parameters().every((p) => p.grad === null)).toBe(true);
      expect(net.headLayers.parameters().every((p) => p.grad !== null)).toBe(true);
      x.dispose();
      net.dispose();
    });

    it('a Parameter shares the storage of its source, requires grad by default and escapes tidy', async () => {
      const source = flint.zeros([3]);
      const p = flint.tidy(() => new nn.Parameter(source));
      const frozen = new nn.Parameter(source, false);
      expect([p.isDisposed, p.requiresGrad, p.isLeaf, frozen.requiresGrad]).toEqual([false, true, true, false]);
      flint.noGrad(() => p.fill_(2));
      expect(await source.tolist()).toEqual([2, 2, 2]);
      const printed = onDevice('Parameter containing:\ntensor([2., 2., 2.])', frozen.device);
      expect(await frozen.format()).toBe(printed);
      if (readsSynchronously(frozen)) expect(String(frozen)).toBe(printed);
      for (const t of [source, p, frozen]) t.dispose();
    });

    it('parameters and buffers survive enclosing tidy scopes; dispose frees them all', () => {
      const before = liveTensors();
      const net = flint.tidy(() => flint.tidy(() => new Net()));
      expect(net.parameters().some((p) => p.isDisposed)).toBe(false);
      expect(net.buffers().some((b) => b.isDisposed)).toBe(false);
      expect(liveTensors()).toBe(before + 8 + 5);
      net.dispose();
      expect(liveTensors()).toBe(before);
    });

    it('a forward and backward inside tidy leaves memory unchanged, BatchNorm updates included', async () => {
      const net = flint.tidy(() => new Net());
      const x = flint.randn([2, 1, 4, 4]);
      const y = flint.tensor([1, 0]);
      const step = (): void => flint.tidy(() => nn.functional.crossEntropy(net.forward(x), y).backward());
      step();
      const before = flint.memory();
      for (let i = 0; i < 3; i++) step();
      const after = flint.memory();
      expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
      expect(await net.features.at(1).buffers()[2]!.item()).toBe(4);
      for (const t of [x, y]) t.dispose();
      net.dispose();
    });

    it('call() runs forward; containers index, iterate and reject forward', async () => {
      const seq = flint.tidy(() => new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()));
      const x = flint.ones([1, 2]);
      await tidyChecks((check) => check.that(Promise.all([seq.call(x).tolist(), seq.forward(x).tolist()]).then(([called, forwarded]) => expect(called).toEqual(forwarded))));
      expect(seq.length).toBe(2);
      expect(seq.at(-1)).toBeInstanceOf(nn.ReLU);
      expect([...seq].map((m) => m.constructor.name)).toEqual(['Linear', 'ReLU']);
      expect(() => seq.at(2)).toThrow('index 2 is out of range');
      const list = new nn.ModuleList([new nn.ReLU()]);
      expect(() => list.forward()).toThrow('Module [ModuleList] is missing the required "forward" function');
      const dict = new nn.ModuleDict({ act: new nn.Tanh() }).set('out', seq);
      expect([...dict]).toEqual(['act', 'out']);
      expect(dict.namedParameters().map(([n]) => n)).toEqual(['out.0.weight', 'out.0.bias']);
      x.dispose();
      seq.dispose();
    });

    const reference = ctx.reference;
    if (reference && reference !== ctx.name) {
      it(`to('${reference}') and toAsync() move parameters, gradients and buffers in place`, async () => {
        const model = flint.tidy(() => new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4)));
        const x = flint.randn([5, 3]);
        flint.tidy(() => model.forward(x).sum().backward());
        const params = model.parameters();
        const buffers = model.buffers();
        const values = await snapshot(model);
        const grad = params[0]!.grad!;
        const tensors = liveTensors();
        const held = (): number => flint.memory().backends[ctx.name]!.buffers;
        const before = held();
        // to() reads synchronously; backends that cannot (GPUs) move with toAsync() instead.
        const sync = readsSynchronously(x);
        if (sync) expect(model.to(reference)).toBe(model);
        else expect(() => model.to(reference)).toThrow(/toAsync/);
        if (!sync) expect(await model.toAsync(reference)).toBe(model);
        model.parameters().forEach((p, i) => expect(p).toBe(params[i]));
        model.buffers().forEach((b, i) => expect(b).toBe(buffers[i]));
        expect(params[0]!.grad).toBe(grad);
        expect([...params, ...buffers, grad].every((t) => t.device === reference)).toBe(true);
        expect(await snapshot(model)).toEqual(values);
        expect(liveTensors()).toBe(tensors);
        expect(held()).toBe(before - params.length * 2 - buffers.length);
        const there = sync ? x.to(reference) : await x.toAsync(reference);
        const moved = flint.tidy(() => flint.keep(model.eval().forward(there)));
        there.dispose();
        expect(moved.device).toBe(reference);
        await model.toAsync(ctx.name);
        expect(params[0]!.device).toBe(ctx.name);
        expect(await snapshot(model)).toEqual(values);
        for (const t of [moved, x]) t.dispose();
        model.dispose();
      });
    }
  });

  describe('nn: layers', () => {
    it('default initialisation follows PyTorch: bounds and statistics', () =>
      withSavedSeed(async () => {
        flint.manualSeed(0);
        const [fc, conv, emb, attn] = flint.tidy(() => [new nn.Linear(100, 50), new nn.Conv2d(3, 8, 3), new nn.Embedding(2000, 8, { paddingIdx: 1 }), new nn.MultiheadAttention(16, 4)]);
        const stats = async (t: Tensor): Promise<{ min: number; max: number; mean: number; std: number }> => {
          const [min, max, mean, std] = await valuesOf(() => flint.stack([t.min(), t.max(), t.mean(), t.std()]));
          return { min: min!, max: max!, mean: mean!, std: std! };
        };
        // Linear: U(-1/sqrt(100), 1/sqrt(100)) for both; its std is 0.1 / sqrt(3) = 0.0577.
        const w = await stats(fc.weight);
        expect(Math.max(-w.min, w.max)).toBeLessThanOrEqual(0.1);
        expect(w.max).toBeGreaterThan(0.09);
        expect(Math.abs(w.std - 0.1 / Math.sqrt(3))).toBeLessThan(0.003);
        const b = await stats(fc.bias!);
        expect(Math.max(-b.min, b.max)).toBeLessThanOrEqual(0.1);
        // Conv2d: fan_in 3 * 3 * 3 = 27.
        const c = await stats(conv.weight);
        expect(Math.max(-c.min, c.max)).toBeLessThanOrEqual(1 / Math.sqrt(27));
        // Embedding N(0, 1) with the padding row zero.
        const e = await stats(emb.weight);
        expect(Math.abs(e.mean)).toBeLessThan(0.05);
        expect(Math.abs(e.std - 1)).toBeLessThan(0.05);
        expect(await valuesOf(() => emb.weight.select(0, 1))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
        // MultiheadAttention: xavier_uniform_ on [48, 16] bounds sqrt(6 / 64); zero biases.
        const a = await stats(attn.inProjWeight!);
        expect(Math.max(-a.min, a.max)).toBeLessThanOrEqual(Math.sqrt(6 / 64));
        expect((await stats(attn.inProjBias!)).max).toBe(0);
        expect((await stats(attn.outProj.bias!)).max).toBe(0);
        for (const m of [fc, conv, emb, attn]) m.dispose();
      }));

    it('a Sequential MLP learns XOR with CrossEntropyLoss, clipGradNorm_ and manual SGD', () =>
      withSavedSeed(async () => {
        flint.manualSeed(3);
        const model = flint.tidy(() => new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 2)));
        const lossFn = new nn.CrossEntropyLoss();
        const x = flint.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], { dtype: 'float32' });
        const y = flint.tensor([0, 1, 1, 0]);
        const losses: number[] = [];
        for (let step = 0; step < 150; step++) {
          model.zeroGrad();
          const loss = flint.tidy(() => {
            const l = lossFn.forward(model.forward(x), y);
            l.backward();
            nn.utils.clipGradNorm_(model.parameters(), 5);
            flint.noGrad(() => model.parameters().forEach((p) => p.sub_(p.grad!.mul(0.5))));
            return l.detach();
          });
          losses.push(await loss.item());
          loss.dispose();
        }
        expect(losses.at(-1)!).toBeLessThan(0.05);
        expect(await valuesOf(() => model.forward(x).argmax(1))).toEqual([0, 1, 1, 0]);
        for (const t of [x, y]) t.dispose();
        model.dispose();
      }));

    it('init functions: gains, modes and generators', async () => {
      // torch.nn.init.calculate_gain('leaky_relu'), ('leaky_relu', 0.2), ('tanh'), ('selu').
      expect(nn.init.calculateGain('leakyRelu')).toBeCloseTo(1.4141428569978354, 12);
      expect(nn.init.calculateGain('leakyRelu', 0.2)).toBeCloseTo(1.3867504905630728, 12);
      expect(nn.init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
      expect(nn.init.calculateGain('selu')).toBe(0.75);
      const t = flint.empty([400, 100]);
      // kaiming normal, fan_out 400, relu: std sqrt(2 / 400).
      nn.init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu', generator: new flint.Generator(1) });
      expect(Math.abs((await valuesOf(() => t.std()))[0]! - Math.sqrt(2 / 400))).toBeLessThan(0.002);
      const first = await t.tolist();
      nn.init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu', generator: new flint.Generator(1) });
      expect(await t.tolist()).toEqual(first);
      nn.init.constant_(t, 0.25);
      expect(await valuesOf(() => t.amin())).toEqual([0.25]);
      expect(() => nn.init.xavierUniform_(flint.tidy(() => flint.keep(t.index(0))))).toThrow('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
      t.dispose();
    });

    it('Embedding: the padding row gets no gradient and stays zero through a step', async () => {
      const emb = flint.tidy(() => new nn.Embedding(5, 3, { paddingIdx: 1 }));
      const idx = flint.tensor([[1, 2], [1, 4]]);
      flint.tidy(() => emb.forward(idx).sum().backward());
      await expectValues(emb.weight.grad!, [[0, 0, 0], [0, 0, 0], [1, 1, 1], [0, 0, 0], [1, 1, 1]]);
      flint.noGrad(() => emb.weight.sub_(emb.weight.grad!.mul(0.5)));
      expect(await valuesOf(() => emb.weight.select(0, 1))).toEqual([0, 0, 0]);
      idx.dispose();
      emb.dispose();
    });

    it('BatchNorm: num_batches_tracked counts in int32; eval normalises by the running statistics', async () => {
      const bn = flint.tidy(() => new nn.BatchNorm1d(2, { momentum: null }));
      const x = flint.tensor([[1, 10], [3, 30]], { dtype: 'float32' });
      flint.tidy(() => bn.forward(x));
      flint.tidy(() => bn.forward(x.mul(3)));
      expect(bn.numBatchesTracked!.dtype).toBe('int32');
      expect(await bn.numBatchesTracked!.item()).toBe(2);
      // Cumulative average of the batch means [2, 20] and [6, 60]; of the unbiased variances [2, 200] and [18, 1800].
      await expectValues(bn.runningMean!, [4, 40]);
      await expectValues(bn.runningVar!, [10, 1000]);
      bn.eval();
      const y = flint.tidy(() => bn.forward(flint.tensor([[4, 50]], { dtype: 'float32' })));
      await expectValues(y, [[0, 10 / Math.sqrt(1000 + 1e-5)]]);
      for (const t of [x, y]) t.dispose();
      bn.dispose();
    });

    it('Dropout zeroes about p of the elements and scales the rest by 1 / (1 - p) in training only', async () => {
      const drop = new nn.Dropout(0.25);
      const x = flint.ones([4000]);
      const y = drop.forward(x);
      const values = Array.from(await y.data());
      const zeros = values.filter((v) => v === 0).length / values.length;
      expect(Math.abs(zeros - 0.25)).toBeLessThan(0.03);
      expect(values.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
      drop.eval();
      const z = drop.forward(x);
      expect(z).not.toBe(x);
      expect(Array.from(await z.data()).every((v) => v === 1)).toBe(true);
      for (const t of [x, y, z]) t.dispose();
    });

    it('functional forms and layers called outside tidy (without grad) leave nothing behind but their result', () => {
      const F = nn.functional;
      const on = { device: ctx.name };
      const x = flint.randn([2, 4, 3, 3], on);
      const seq = flint.randn([5, 2, 8], on);
      const labels = flint.tensor([1, 3], on);
      const probs = flint.full([2, 4], 0.25, on);
      const w = flint.ones([4], on);
      const [fc, bias, table] = [flint.ones([3, 4], on), flint.ones([3], on), flint.ones([4, 2], on)];
      const [attn, encoder, bn] = flint.tidy(() => [new nn.MultiheadAttention(8, 2), new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), new nn.BatchNorm2d(4)]);
      const logits = x.mean([2, 3]);
      const ops: Array<() => Tensor | Array<Tensor | null>> = [
        () => F.linear(logits, fc, bias),
        () => F.batchNorm(x, null, null, { training: true, weight: w, bias: w }), () => F.layerNorm(x, [3, 3]), () => F.groupNorm(x, 2, { weight: w }),
        () => F.embedding(labels, table, { paddingIdx: 0 }), () => F.scaledDotProductAttention(seq, seq, seq, { isCausal: true }),
        () => F.crossEntropy(logits, labels, { weight: w, labelSmoothing: 0.1 }), () => F.crossEntropy(logits, probs), () => F.nllLoss(logits, labels),
        () => F.mseLoss(logits, probs), () => F.smoothL1Loss(logits, probs, { beta: 0.5 }), () => F.huberLoss(logits, probs),
        () => F.binaryCrossEntropy(probs, probs, { weight: w }), () => F.binaryCrossEntropyWithLogits(logits, probs, { posWeight: w }),
        () => F.klDiv(logits, probs, { reduction: 'batchmean' }), () => attn.forward(seq, seq, seq, { isCausal: true }), () => encoder.forward(seq),
        () => bn.forward(x),
      ];
      for (const op of ops) {
        const before = liveTensors();
        // Without grad mode no graph holds saved intermediates: only the result may remain.
        const out = flint.noGrad(op);
        const results = (Array.isArray(out) ? out : [out]).filter((t): t is Tensor => t !== null);
        expect(liveTensors(), `${op}`).toBe(before + results.length);
        for (const t of results) t.dispose();
      }
      for (const t of [x, seq, labels, probs, w, fc, bias, table, logits]) t.dispose();
      for (const m of [attn, encoder, bn]) m.dispose();
    });

    it('layers and losses name the problem in their errors', () => {
      expect(() => new nn.MultiheadAttention(10, 3)).toThrow('MultiheadAttention(): embed_dim must be divisible by num_heads');
      expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d(): in_channels must be divisible by groups');
      const bn = new nn.BatchNorm2d(3);
      const on = { device: ctx.name };
      const [x3, logits, labels] = [flint.zeros([2, 3, 4], on), flint.zeros([3, 5], on), flint.tensor([1, 2], on)];
      expect(() => bn.forward(x3)).toThrow('BatchNorm2d(): expected 4D input (got 3D input)');
      expect(() => nn.functional.crossEntropy(logits, labels)).toThrow('crossEntropy(): Expected input batch_size (3) to match target batch_size (2).');
      expect(() => nn.functional.mseLoss(logits, logits, { reduction: 'avg' as 'mean' })).toThrow('mseLoss(): avg is not a valid value for reduction');
      expect(() => nn.functional.layerNorm(x3, [3])).toThrow('layerNorm(): Given normalized_shape=[3], expected input with shape [*, 3], but got input of size[2, 3, 4]');
      for (const t of [x3, logits, labels]) t.dispose();
      bn.dispose();
    });
  });

  describe('nn: utils', () => {
    /** Two parameters with gradients [3, -4] and [12] (total 2-norm 13, 1-norm 19, max 12). */
    function withGrads(): Tensor[] {
      const on = { device: ctx.name };
      const [a, b] = [flint.zeros([2], { ...on, requiresGrad: true }), flint.zeros([1], { ...on, requiresGrad: true })];
      a.grad = flint.tensor([3, -4], { ...on, dtype: 'float32' });
      b.grad = flint.tensor([12], { ...on, dtype: 'float32' });
      return [a, b];
    }

    // torch.nn.utils.clip_grad_norm_ gives tensor(13.), grads [1.5, -2.0], [6.0] for max_norm 6.5;
    // tensor(12.), [1.5, -2.0], [6.0] for max_norm 6 with inf; tensor(19.) and no change for max_norm 100 with 1.
    for (const [normType, maxNorm, total, scale] of [[2, 6.5, 13, 6.5 / (13 + 1e-6)], [Infinity, 6, 12, 6 / (12 + 1e-6)], [1, 100, 19, 1]] as const) {
      it(`clipGradNorm_ with normType ${normType}`, async () => {
        const params = withGrads();
        const norm = nn.utils.clipGradNorm_(params, maxNorm, normType);
        expect(await norm.item()).toBeCloseTo(total, 4);
        await expectValues(params[0]!.grad!, [3 * scale, -4 * scale]);
        await expectValues(params[1]!.grad!, [12 * scale]);
        for (const t of [norm, ...params]) t.dispose();
      });
    }

    it('clipGradValue_ clamps every gradient', async () => {
      const params = withGrads();
      nn.utils.clipGradValue_(params, 3.5);
      await expectValues(params[0]!.grad!, [3, -3.5]);
      await expectValues(params[1]!.grad!, [3.5]);
      for (const t of params) t.dispose();
    });
  });
}
