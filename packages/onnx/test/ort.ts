/**
 * Checks an export by running it in ONNX Runtime: the model is exported on example inputs, loaded
 * (ONNX Runtime's loading errors are the validator), run on each set of run inputs, and its outputs
 * compared with flint's on the same inputs. The tolerance is float32's: |ort - flint| <= 1e-4 + 1e-4 |flint|.
 */
import * as ort from 'onnxruntime-node';
import * as flint from '@flint/core';
import { expect } from 'vitest';
import { exportOnnx, type ExampleInput, type Exportable, type ExportOptions } from '../src/index.ts';

export const ATOL = 1e-4;
export const RTOL = 1e-4;

function ortTensor(t: flint.Tensor, data: ArrayLike<number>): ort.Tensor {
  const dims = [...t.shape];
  if (t.dtype === 'float32') return new ort.Tensor('float32', Float32Array.from(data), dims);
  if (t.dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(data), dims);
  return new ort.Tensor('bool', Uint8Array.from(data), dims);
}

/** The model's outputs (tensors in a value, array or object, in order). */
function tensorsOf(value: unknown): flint.Tensor[] {
  if (value instanceof flint.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(tensorsOf);
  return [];
}

export interface CheckOptions extends ExportOptions {
  /** Arguments to run besides the example's (another batch size, say), structured as the example; each set is compared. */
  runs?: ReadonlyArray<readonly ExampleInput[]>;
}

/** Exports `model`, runs it in ONNX Runtime on the example and on `runs`, and compares with flint's forward. Returns the session. */
export async function checkExport(model: Exportable, example: readonly ExampleInput[], options: CheckOptions = {}): Promise<ort.InferenceSession> {
  const { runs = [], ...exportOptions } = options;
  const bytes = await exportOnnx(model, example, { bytes: true, ...exportOptions });
  const session = await ort.InferenceSession.create(bytes);
  // The export traced evaluation mode and restored the model's own: compare in evaluation mode.
  if (model instanceof flint.nn.Module) model.eval();
  const forward = model instanceof flint.nn.Module ? (...xs: unknown[]) => (model as unknown as { forward(...a: unknown[]): unknown }).forward(...xs) : (model as (...xs: unknown[]) => unknown);
  for (const args of [example, ...runs]) {
    const inputs = tensorsOf(args);
    const feeds: Record<string, ort.Tensor> = {};
    for (const [i, x] of inputs.entries()) feeds[session.inputNames[i]!] = ortTensor(x, (await x.data()) as ArrayLike<number>);
    const results = await session.run(feeds);
    const expected = flint.noGrad(() => tensorsOf(forward(...args)));
    expect(session.outputNames.length).toBe(expected.length);
    for (const [i, want] of expected.entries()) {
      const got = results[session.outputNames[i]!]!;
      expect(got.dims).toEqual(want.shape);
      const wanted = Array.from((await want.data()) as ArrayLike<number>, Number);
      const actual = Array.from(got.data as ArrayLike<number | bigint>, Number);
      const worst = wanted.reduce((m, w, j) => Math.max(m, Math.abs(actual[j]! - w) - RTOL * Math.abs(w)), 0);
      expect(worst, `output ${i} of ${inputs.map((x) => `[${x.shape.join(', ')}]`).join(' ')}`).toBeLessThanOrEqual(ATOL);
      want.dispose();
    }
  }
  return session;
}
