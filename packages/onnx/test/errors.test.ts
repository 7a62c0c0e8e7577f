/**
 * What an export refuses, by name, and what it leaves behind: the backends as they were, no
 * tensors, the model's mode. And what the file holds: opset, names, dynamic dims, initializers.
 */
import * as flint from '@flint/core';
import protobuf from 'protobufjs';
import { expect, it } from 'vitest';
import { exportOnnx, onnx } from '../src/index.ts';
import { ONNX_PROTO3 } from '../src/onnx-proto3.ts';
import { onBackends } from './backends.ts';

const { nn } = flint;

/** The methods of the default backend that a trace's wrappers still replace. */
function wrappedMethods(): string[] {
  const probe = flint.zeros([1]);
  const backend = probe.backend as unknown as Record<string, unknown>;
  probe.dispose();
  const fused = (backend.fused ?? {}) as Record<string, unknown>;
  return [...Object.entries(backend), ...Object.entries(fused)].filter(([, v]) => typeof v === 'function' && (v as () => void).name.endsWith('flintTraced')).map(([k]) => k);
}

/** Expects `run` to reject with `message`, leaving the backends unwrapped and no tensor behind. */
async function expectRefusal(run: () => Promise<unknown>, message: string): Promise<void> {
  const before = flint.memory();
  await expect(run()).rejects.toThrow(message);
  expect(wrappedMethods()).toEqual([]);
  const after = flint.memory();
  expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
}

function decode(bytes: Uint8Array): Record<string, any> {
  const type = protobuf.parse(ONNX_PROTO3).root.lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number }) as Record<string, any>;
}

onBackends('export errors and contents', () => {
  it('an op without a mapping that computes on traced values is named', async () => {
    const x = flint.randn([2, 3]);
    await expectRefusal(() => exportOnnx((t: flint.Tensor) => flint.cumsum(t.relu(), 1), [x], { bytes: true }), 'onnx.export(): cumsum() has no ONNX mapping');
    x.dispose();
  });

  it('a view without a mapping is named when a mapped op reads it', async () => {
    const x = flint.randn([3, 3]);
    await expectRefusal(() => exportOnnx((t: flint.Tensor) => t.mul(2).diagonal().add(1), [x], { bytes: true }), 'onnx.export(): diagonal() has no ONNX mapping');
    x.dispose();
  });

  it('an op recorded under a name that has no ONNX mapping is named', async () => {
    const x = flint.randn([2]);
    const custom = (t: flint.Tensor): flint.Tensor => flint.tracing.traced('squarePlusOne', [t], {}, () => t.mul(t).add(1));
    await expectRefusal(() => exportOnnx(custom, [x], { bytes: true }), 'onnx.export(): squarePlusOne() has no ONNX mapping');
    x.dispose();
  });

  it('dropout and batch norm in training mode are refused when eval is turned off', async () => {
    const x = flint.randn([4, 3]);
    const dropout = new nn.Dropout(0.2);
    const batchNorm = new nn.BatchNorm1d(3);
    await expectRefusal(() => exportOnnx(dropout, [x], { bytes: true, eval: false }), 'onnx.export(): dropout() has no ONNX mapping in training mode');
    await expectRefusal(() => exportOnnx(batchNorm, [x], { bytes: true, eval: false }), 'onnx.export(): batchNorm() has no ONNX mapping in training mode');
    x.dispose();
  });

  it('a constant made from the size of a dynamic axis is refused', async () => {
    const x = flint.randn([2, 4]);
    const f = (t: flint.Tensor): flint.Tensor => t.add(flint.ones(t.shape));
    await expectRefusal(() => exportOnnx(f, [x], { bytes: true, dynamicAxes: { input_0: [0] } }), 'onnx.export(): a constant of shape [2, 4] is made from the size of a dynamic axis');
    x.dispose();
  });

  it('bad targets and name lists', async () => {
    const x = flint.randn([2, 4]);
    const model = new nn.Linear(4, 1);
    await expect(exportOnnx(model, [x], { bytes: false } as never)).rejects.toThrow('onnx.export(): the target must be a file path or { bytes: true }');
    await expect(exportOnnx(model, [x], { bytes: true, inputNames: ['a', 'b'] })).rejects.toThrow('onnx.export(): inputNames has 2 names for 1 inputs');
    await expect(exportOnnx(model, [x], { bytes: true, outputNames: [] })).rejects.toThrow('onnx.export(): outputNames has 0 names for 1 outputs');
    await expect(exportOnnx({} as never, [x], { bytes: true })).rejects.toThrow('onnx.export(): model must be an nn.Module or a function of tensors');
    x.dispose();
  });

  it('an export, dynamic axes and all, leaves no tensor behind and the backends unwrapped', async () => {
    const model = new nn.Sequential(new nn.Conv2d(1, 2, 3), new nn.BatchNorm2d(2), new nn.ReLU(), new nn.Flatten(), new nn.Linear(8, 2));
    const x = flint.randn([2, 1, 4, 4]);
    const before = flint.memory();
    await onnx.export(model, [x], { bytes: true, dynamicAxes: { input_0: { 0: 'batch' } } });
    const after = flint.memory();
    expect([after.tensors, after.storages, after.bytes]).toEqual([before.tensors, before.storages, before.bytes]);
    expect(wrappedMethods()).toEqual([]);
  });

  it('the model is traced in evaluation mode and keeps its own mode', async () => {
    const model = new nn.Sequential(new nn.Linear(3, 3), new nn.Dropout(0.5));
    await onnx.export(model, [flint.randn([1, 3])], { bytes: true });
    expect(model.training).toBe(true);
    model.eval();
    await onnx.export(model, [flint.randn([1, 3])], { bytes: true });
    expect(model.training).toBe(false);
  });

  it('the file holds opset 17, the given names, dynamic dims and the state dict as initializers', async () => {
    const first = new nn.Linear(4, 3);
    const model = new nn.Sequential(first, new nn.ReLU(), new nn.Linear(3, 2));
    const bytes = await onnx.export(model, [flint.randn([5, 4])], { bytes: true, inputNames: ['x'], outputNames: ['logits'], dynamicAxes: { x: { 0: 'batch' } } });
    const file = decode(bytes);
    expect(file.opsetImport.map((o: { domain?: string; version: number }) => [o.domain ?? '', o.version])).toEqual([['', 17]]);
    expect(file.graph.initializer.map((t: { name: string }) => t.name).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    const weight = file.graph.initializer.find((t: { name: string }) => t.name === '0.weight');
    expect(weight.dims).toEqual([3, 4]);
    expect(Array.from(new Float32Array(Uint8Array.from(weight.rawData).buffer))).toEqual(Array.from(await first.weight.data()));
    expect(file.graph.input.map((v: { name: string }) => v.name)).toEqual(['x']);
    expect(file.graph.input[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 4 }]);
    expect(file.graph.output[0].name).toBe('logits');
    expect(file.graph.output[0].type.tensorType.shape.dim).toEqual([{ dimParam: 'logits_dim0' }, { dimValue: 2 }]);
  });
});
