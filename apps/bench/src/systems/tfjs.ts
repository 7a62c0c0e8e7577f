/**
 * TensorFlow.js's side of the workloads, on its cpu or wasm backend: the same seeded inputs and
 * weights as flint, laid out the way tfjs wants them (NHWC images, [k, k, in, out] filters).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { classCount, shapes, type Layer } from '../models.ts';
import type { TrainData, WorkloadData } from '../workloads.ts';
import { Unavailable, type Adapter, type LocalInstance as Instance } from './adapter.ts';
import type { TfjsSystem } from './index.ts';

/** A backend's own read: wasm's takes an element range, cpu's returns its array without copying. */
type RangeRead = { readSync(dataId: object, start?: number, end?: number): ArrayLike<number> };

/**
 * Reads the last element. Both tfjs backends here compute synchronously, so the
 * op has finished by now. Not `t.slice(...).dataSync()`: tfjs-wasm's Slice kernel copies the whole
 * input out of the wasm heap first, which would time a 4 MB copy instead of the op.
 */
function lastValue(t: tf.Tensor): number {
  const values = (tf.backend() as unknown as RangeRead).readSync(t.dataId, t.size - 1, t.size);
  return values[values.length === 1 ? 0 : t.size - 1]!;
}

/** {@link lastValue}, then releases `t`. */
function readLast(t: tf.Tensor): number {
  const value = lastValue(t);
  t.dispose();
  return value;
}

/** A step that makes a new tensor from two inputs (matmul, add). */
function producing(aValues: Float32Array, bValues: Float32Array, shape: number[], op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Instance {
  const a = tf.tensor(aValues, shape);
  const b = tf.tensor(bValues, shape);
  return {
    step: () => readLast(op(a, b)),
    result: async () => {
      const out = op(a, b);
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    },
    dispose: () => tf.dispose([a, b]),
  };
}

/** `acc = acc + b` through a tf.Variable, TensorFlow.js's way to update a tensor in place. */
function addInto(aValues: Float32Array, bValues: Float32Array): Instance {
  const acc = tf.variable(tf.tensor(aValues));
  const b = tf.tensor(bValues);
  return {
    step: () => {
      tf.tidy(() => acc.assign(tf.add(acc, b)));
      return lastValue(acc);
    },
    result: async () => (await acc.data()) as Float32Array,
    dispose: () => tf.dispose([acc, b]),
  };
}

type ParamLayer = Extract<Layer, { kind: 'linear' | 'conv2d' }>;
type Apply = (h: tf.Tensor) => tf.Tensor;

/**
 * A layer from flint-layout weights. `flattened` is the [C, H, W] shape a flatten just before
 * consumed: tfjs flattens NHWC in (H, W, C) order, so Linear's rows are permuted to compute the
 * same function as flint's.
 */
function withParams(spec: ParamLayer, [w, b]: Float32Array[], flattened: number[] | undefined): { params: tf.Variable[]; apply: Apply } {
  const variable = (make: () => tf.Tensor): tf.Variable => tf.tidy(() => tf.variable(make()));
  const bias = variable(() => tf.tensor(b!));
  if (spec.kind === 'linear') {
    const weight = variable(() => {
      if (flattened?.length !== 3) return tf.tensor(w!, [spec.in, spec.out]);
      const [c, h, wd] = flattened as [number, number, number];
      return tf.tensor(w!, [c, h, wd, spec.out]).transpose([1, 2, 0, 3]).reshape([spec.in, spec.out]);
    });
    return { params: [weight, bias], apply: (h) => tf.add(tf.matMul(h, weight), bias) };
  }
  const filter = variable(() => tf.tensor(w!, [spec.out, spec.in, spec.k, spec.k]).transpose([2, 3, 1, 0]));
  return { params: [filter, bias], apply: (h) => tf.add(tf.conv2d(h as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid'), bias) };
}

function withoutParams(spec: Exclude<Layer, ParamLayer>): Apply {
  switch (spec.kind) {
    case 'relu': return (h) => tf.relu(h);
    case 'maxPool2d': return (h) => tf.maxPool(h as tf.Tensor4D, spec.k, spec.k, 'valid');
    case 'flatten': return (h) => h.reshape([h.shape[0]!, -1]);
  }
}

function trainer(data: TrainData): Instance {
  const { model, batch } = data;
  if (model.layers.some((l) => l.kind === 'conv2d') && !tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) {
    throw new Unavailable(`TensorFlow.js's ${tf.getBackend()} backend has no Conv2DBackpropFilter kernel, so it cannot train a conv net`);
  }
  const exampleShapes = shapes(model);
  const variables: tf.Variable[] = [];
  const initial = data.params[Symbol.iterator]();
  const layers = model.layers.map((spec, i) => {
    if (spec.kind !== 'linear' && spec.kind !== 'conv2d') return withoutParams(spec);
    const flattened = model.layers[i - 1]?.kind === 'flatten' ? exampleShapes[i - 1] : undefined;
    const { params, apply } = withParams(spec, initial.next().value!, flattened);
    variables.push(...params);
    return apply;
  });
  const x = tf.tidy(() => {
    const nchw = tf.tensor(data.x, [batch, ...model.input]);
    return model.input.length === 3 ? nchw.transpose([0, 2, 3, 1]) : nchw;
  });
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(data.y, 'int32'), classCount(model)));
  const optimizer = tf.train.sgd(data.lr);
  const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, layers.reduce((h, apply) => apply(h), x));
  return {
    step: () => {
      const cost = optimizer.minimize(loss, true, variables)!;
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return value;
    },
    dispose: () => {
      tf.dispose([...variables, x, labels]);
      optimizer.dispose();
    },
  };
}

async function prepare(data: WorkloadData): Promise<Instance> {
  switch (data.kind) {
    case 'matmul': return producing(data.a, data.b, [data.n, data.n], (a, b) => tf.matMul(a, b));
    case 'add': return producing(data.a, data.b, [data.a.length], (a, b) => tf.add(a, b));
    case 'train': return trainer(data);
    case 'add-into': return addInto(data.a, data.b);
    case 'dataloader': throw new Unavailable('TensorFlow.js has no DataLoader');
    case 'gpt':
    case 'lstm': throw new Unavailable(`the ${data.kind} workload is ported to flint and PyTorch only`);
  }
}

export async function createTfjs(s: TfjsSystem): Promise<Adapter> {
  // In tfjs 4.22 prod mode only silences warnings, among them a banner on stdout suggesting tfjs-node.
  tf.enableProdMode();
  if (!(await tf.setBackend(s.backend))) throw new Error(`TensorFlow.js could not start its ${s.backend} backend`);
  const detail = s.backend === 'wasm'
    ? `${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, ${getThreadsCount()} thread`
    : '';
  return { detail, prepare };
}
