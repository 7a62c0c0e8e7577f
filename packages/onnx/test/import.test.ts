/**
 * ONNX files exported by torch.onnx.export (scripts/import-fixtures.py, opset 17, a dynamic batch)
 * load into flint, run at two batch sizes, give PyTorch's gradients for every parameter that kept
 * its name, and train: one SGD step lowers the loss as it did in PyTorch.
 */
import * as flint from '@flint/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportOnnx, loadOnnx, OnnxModule } from '../src/index.ts';
import { encodeModel } from '../src/proto.ts';
import { onBackends } from './backends.ts';

interface Data {
  shape: number[];
  data: Array<number | boolean>;
  dtype?: 'float32' | 'int32' | 'bool';
}
interface Fixture {
  inputs: Data[];
  other: Data[];
  output: Data;
  otherOutput: Data;
  lossWeights: number[];
  loss: number;
  grads: Record<string, number[]>;
  lr: number;
  lossAfterStep: number;
}

const dir = new URL('./fixtures/import/', import.meta.url);
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Fixture;
const bytes = (name: string): Uint8Array => readFileSync(new URL(`${name}.onnx`, dir));
const tensorOf = (d: Data): flint.Tensor => flint.tensor(d.data as number[], { dtype: d.dtype ?? 'float32' }).reshape(d.shape);

/** float32 against PyTorch's float32: a few ulps of each product's accumulated rounding. */
const TOL = { rtol: 1e-4, atol: 1e-5 };

function expectClose(got: flint.Tensor, want: Data, label: string): void {
  expect(got.shape, label).toEqual(want.shape);
  const values = Array.from(got.dataSync() as Float32Array);
  values.forEach((v, i) => {
    const w = want.data[i] as number;
    if (Math.abs(v - w) > TOL.atol + TOL.rtol * Math.abs(w)) expect.fail(`${label}[${i}]: got ${v}, PyTorch ${w}`);
  });
}

/** Which parameters each model exposes under PyTorch's names (constant folding renames some, e.g. a transposed MatMul weight). */
const NAMED: Record<string, string[]> = {
  mlp: ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
  cnn: ['conv1.weight', 'conv1.bias', 'bn.weight', 'bn.bias', 'conv2.weight', 'conv2.bias', 'fc.weight', 'fc.bias'],
  attention: ['emb.weight', 'norm.weight', 'norm.bias', 'qkv.bias', 'out.bias'],
  // LSTM and GRU weights are reordered into ONNX's gate order (W, R, B): only the loss after the step checks them.
  lstm: ['emb.weight', 'fc.bias'],
  gru: [],
  mha: ['att.in_proj_bias', 'att.out_proj.weight', 'att.out_proj.bias'],
  ...Object.fromEntries(['encoder', 'encoder-norm-first'].map((name) => [name, [
    'enc.self_attn.in_proj_bias', 'enc.self_attn.out_proj.weight', 'enc.self_attn.out_proj.bias', 'enc.linear1.bias', 'enc.linear2.bias',
    'enc.norm1.weight', 'enc.norm1.bias', 'enc.norm2.weight', 'enc.norm2.bias',
  ]])),
};

onBackends('onnx.load: models exported by PyTorch', () => {
  for (const name of Object.keys(NAMED)) {
    it(`${name}: outputs at two batch sizes, gradients and one SGD step match PyTorch`, async () => {
      const f = fixture(name);
      const before = flint.memory().tensors;
      const model = await loadOnnx(bytes(name));
      model.eval();
      flint.tidy(() => {
        expectClose(model.forward(...f.inputs.map(tensorOf)) as flint.Tensor, f.output, `${name} output`);
        expectClose(model.forward(...f.other.map(tensorOf)) as flint.Tensor, f.otherOutput, `${name} output at another batch size`);
      });
      const params = new Map(model.namedParameters());
      for (const key of NAMED[name]!) expect(params.has(key), `${name} has parameter ${key}`).toBe(true);
      const weights = (out: flint.Tensor) => flint.tensor(f.lossWeights).reshape(out.shape);
      const lossOf = (): flint.Tensor => {
        const out = model.forward(...f.inputs.map(tensorOf)) as flint.Tensor;
        return out.mul(weights(out)).sum();
      };
      flint.tidy(() => {
        const loss = lossOf();
        expect(loss.itemSync()).toBeCloseTo(f.loss, 4);
        loss.backward();
      });
      for (const key of NAMED[name]!) {
        const p = params.get(key)!;
        expectClose(p.grad!, { shape: [...p.shape], data: f.grads[key]! }, `${name} d loss / d ${key}`);
      }
      const opt = new flint.optim.SGD(model.parameters(), { lr: f.lr });
      opt.step();
      const after = flint.tidy(() => lossOf().itemSync());
      // The step also moves the renamed parameters (whose gradients are not compared by name): the loss checks them all.
      expect(after).toBeCloseTo(f.lossAfterStep, 3);
      expect(after).toBeLessThan(f.loss);
      opt.dispose?.();
      model.dispose();
      expect(flint.memory().tensors).toBe(before);
    });
  }
});

describe('onnx.load: errors', () => {
  it('names an op it cannot run and the node', async () => {
    // The exported MLP with its Gemm ops (and the node names that mention them) renamed.
    const data = Buffer.from(bytes('mlp'));
    for (let at = data.indexOf('Gemm'); at >= 0; at = data.indexOf('Gemm', at + 1)) data.write('Gemx', at);
    await expect(loadOnnx(new Uint8Array(data))).rejects.toThrow(/onnx\.load\(\): op Gemx \(node .*\) is not supported/);
  });

  it('rejects bytes that are not a model, and inputs of the wrong count or type', async () => {
    await expect(loadOnnx(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toThrow(/onnx\.load\(\): the bytes are not an ONNX model/);
    await expect(loadOnnx(42 as never)).rejects.toThrow(/expected the model as a Uint8Array/);
    const model = await loadOnnx(bytes('mlp'));
    expect(model).toBeInstanceOf(OnnxModule);
    expect(model.inputNames).toEqual(['input']);
    expect(() => model.forward()).toThrow(/takes 1 inputs \(input\), got 0/);
    expect(() => model.forward('x' as never)).toThrow(/input 0 \(input\) must be a Tensor/);
    model.dispose();
  });
});

/** A model of one LSTM node (hidden 2, input 3) with `attribute`s, and its input names `inputs`. */
function lstmModel(attribute: Array<Record<string, unknown>>, inputs = ['x', 'W', 'R']): Uint8Array {
  const init = (name: string, dims: number[]) => ({ name, dims, dataType: 1, floatData: new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(0.1) });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ version: 17 }],
    graph: {
      node: [{ opType: 'LSTM', name: 'lstm', input: inputs, output: ['y'], attribute: [{ name: 'hidden_size', type: 2, i: 2 }, ...attribute] }],
      initializer: [init('W', [1, 8, 3]), init('R', [1, 8, 2]), init('P', [1, 6])],
      input: [{ name: 'x' }],
      output: [{ name: 'y' }],
    },
  });
}

describe('onnx.load: what LSTM and GRU refuse', () => {
  it('names peepholes, clip, other activations and layouts', async () => {
    const x = flint.zeros([4, 1, 3]);
    const cases: Array<[Uint8Array, string]> = [
      [lstmModel([], ['x', 'W', 'R', '', '', '', '', 'P']), 'onnx.load(): LSTM with peepholes (input P) is not supported'],
      [lstmModel([{ name: 'clip', type: 1, f: 3 }]), 'onnx.load(): LSTM with clip is not supported'],
      [lstmModel([{ name: 'activations', type: 8, strings: ['Relu', 'Tanh', 'Tanh'].map((a) => new TextEncoder().encode(a)) }]), 'onnx.load(): LSTM with activations Relu, Tanh, Tanh (only Sigmoid, Tanh, Tanh) is not supported'],
      [lstmModel([{ name: 'layout', type: 2, i: 1 }]), 'onnx.load(): LSTM with layout=1 is not supported'],
      [lstmModel([{ name: 'direction', type: 3, s: new TextEncoder().encode('sideways') }]), 'onnx.load(): LSTM with direction sideways is not supported'],
    ];
    for (const [model, message] of cases) {
      const loaded = await loadOnnx(model);
      expect(() => loaded.forward(x)).toThrow(message);
      loaded.dispose();
    }
    // The same node with default attributes runs: Y is [seq, num_directions, batch, hidden].
    const plain = await loadOnnx(lstmModel([]));
    const y = plain.forward(x) as flint.Tensor;
    expect(y.shape).toEqual([4, 1, 1, 2]);
    y.dispose();
    plain.dispose();
    x.dispose();
  });
});

onBackends('onnx.load: models exported by flint', () => {
  it('a CNN and a transformer encoder layer come back with the same outputs, at another batch size too', async () => {
    const { nn } = flint;
    const cnn = new nn.Sequential(
      new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.BatchNorm2d(4), new nn.Flatten(), new nn.Linear(4 * 4 * 4, 3), new nn.LogSoftmax(1),
    );
    const encoder = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, normFirst: true, activation: 'gelu' });
    const cases: Array<[flint.nn.Module, number[]]> = [[cnn, [1, 8, 8]], [encoder, [5, 8]]];
    for (const [model, shape] of cases) {
      model.eval();
      const bytesOut = await exportOnnx(model, [flint.randn([2, ...shape])], { bytes: true, inputNames: ['x'], dynamicAxes: { x: { 0: 'batch' } } });
      const loaded = await loadOnnx(bytesOut);
      loaded.eval();
      flint.tidy(() => {
        const x = flint.randn([3, ...shape]);
        const want = (model as unknown as { forward(x: flint.Tensor): flint.Tensor }).forward(x);
        const got = loaded.forward(x) as flint.Tensor;
        expectClose(got, { shape: [...want.shape], data: Array.from(want.dataSync() as Float32Array) }, `${model.constructor.name} round trip`);
      });
      loaded.dispose();
      model.dispose();
    }
  });
});
