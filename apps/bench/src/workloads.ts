/**
 * The workloads, independent of any library: their sizes and units, the seeded inputs every system
 * receives, and the checks on what a system computed. A system adapter only turns a
 * {@link WorkloadData} into a step function (see systems/adapter.ts).
 */
import { classCount, initParams, models, type Model } from './models.ts';
import { classes, normal, rng } from './random.ts';
import type { ThreadRole } from './systems/index.ts';

/** `threads`: compute threads, for systems that can set them. */
export interface MatmulData { kind: 'matmul'; n: number; threads: number; a: Float32Array; b: Float32Array }
export interface TrainData {
  kind: 'train';
  model: Model;
  /** [weight, bias] per layer with parameters, in flint's layouts (see models.ts). */
  params: Float32Array[][];
  batch: number;
  x: Float32Array;
  y: Int32Array;
  lr: number;
}
/** `add` makes a new tensor each step; `add-into` accumulates `b` into a preallocated copy of `a`. */
export interface AddData { kind: 'add' | 'add-into'; a: Float32Array; b: Float32Array }
export interface LoaderData { kind: 'dataloader'; batch: number; workers: number; items: number; itemMs: number }
/**
 * A character-level sequence model trained on one fixed batch of token windows, `x` [batch,
 * context] predicting `y`, the same windows shifted by one. Each system initialises its own
 * weights (its framework's defaults); the step's work does not depend on their values.
 * - `gpt`: token and position embeddings, `layers` pre-LN TransformerEncoderLayers (`heads`
 *   heads, feed-forward 4 x width, GELU, a causal mask), a final LayerNorm and a linear head; AdamW.
 * - `lstm`: word_language_model's RNNModel: embedding, a `layers`-deep LSTM of `width` units, a
 *   linear decoder; SGD with gradient clipping at `clip`, time-first batches.
 */
export interface SequenceData {
  kind: 'gpt' | 'lstm';
  width: number;
  heads: number;
  layers: number;
  vocab: number;
  batch: number;
  context: number;
  threads: number;
  lr: number;
  clip: number;
  seed: number;
  x: Int32Array;
  y: Int32Array;
}
export type WorkloadData = MatmulData | TrainData | AddData | LoaderData | SequenceData;

/** What a run produced, for {@link verify}. */
export interface RunRecord {
  /** The value each measured step read back: the loss, an element of the result, an epoch's index sum. */
  values: number[];
  /** The full result after the last step (matmul, add, add-into). */
  result?: Float32Array;
  /** Steps run in all, warm-up included (add-into accumulates across every one). */
  steps: number;
}

export interface Workload {
  name: string;
  unit: string;
  sizes: readonly number[];
  quickSizes: readonly number[];
  /** Sizes too large for a CPU run, measured only when `--sizes` names them (a GPU's matmul). */
  largeSizes?: readonly number[];
  /** Thread counts to measure each size with; [1] where the workload has no such knob. */
  threads: readonly number[];
  /**
   * What `threads` counts: compute threads (systems take part as their {@link ThreadRole} says)
   * or DataLoader worker threads (every system runs every count).
   */
  threadsCount: 'compute' | 'workers';
  /** Only flint has it (TensorFlow.js has no DataLoader). */
  flintOnly: boolean;
  /** What the table should say about how the workload is written, if anything. */
  note?: string;
  /** Work per step in the numerator of `unit` (GFLOP, GB, steps, batches). */
  work(size: number): number;
  label(size: number, threads: number): string;
  data(size: number, threads: number): WorkloadData;
}

const SEED = 20240501;
/** The dataloader workload's step is one epoch of this many batches (see systems/flint-dataloader.ts). */
const EPOCH_BATCHES = 16;
const LR = 0.01;
const ADD_SIZE = 1 << 20;

function matmulData(n: number, threads: number): MatmulData {
  const next = rng(SEED);
  return { kind: 'matmul', n, threads, a: normal(next, n * n), b: normal(next, n * n) };
}

function trainData(model: Model, batch: number): TrainData {
  const next = rng(SEED);
  const params = initParams(model, next);
  const features = model.input.reduce((a, b) => a * b, 1);
  return { kind: 'train', model, params, batch, x: normal(next, batch * features), y: classes(next, batch, classCount(model)), lr: LR };
}

function addData(kind: AddData['kind'], n: number): AddData {
  const next = rng(SEED);
  return { kind, a: normal(next, n), b: normal(next, n) };
}

/** Moby Dick's distinct characters, the vocabulary of apps/char-gpt and apps/char-lstm. */
const CHAR_VOCAB = 89;

function sequenceData(kind: SequenceData['kind'], width: number, threads: number): SequenceData {
  const shape = kind === 'gpt'
    ? { heads: width / 32, layers: 2, batch: 16, context: 64, lr: 1e-3, clip: 0 }
    : { heads: 0, layers: 2, batch: 20, context: 35, lr: 20, clip: 0.25 };
  const next = rng(SEED);
  const windows = classes(next, shape.batch * (shape.context + 1), CHAR_VOCAB);
  const x = new Int32Array(shape.batch * shape.context);
  const y = new Int32Array(shape.batch * shape.context);
  for (let b = 0; b < shape.batch; b++) {
    const window = windows.subarray(b * (shape.context + 1), (b + 1) * (shape.context + 1));
    x.set(window.subarray(0, shape.context), b * shape.context);
    y.set(window.subarray(1), b * shape.context);
  }
  return { kind, width, threads, vocab: CHAR_VOCAB, seed: SEED, x, y, ...shape };
}

const one = () => 1;
const training = (name: keyof typeof models, sizes: number[], quickSizes = sizes): Workload => ({
  name, unit: 'steps/s', sizes, quickSizes, threads: [1], threadsCount: 'compute', flintOnly: false, work: one,
  label: (size) => `batch ${size}`,
  data: (size) => trainData(models[name], size),
});
const elementwise = (name: AddData['kind'], flintOnly: boolean, note?: string): Workload => ({
  name, unit: 'GB/s', sizes: [ADD_SIZE], quickSizes: [ADD_SIZE], threads: [1], threadsCount: 'compute', flintOnly, note,
  // Two operands read and one result written, 4 bytes each.
  work: (n) => (3 * 4 * n) / 1e9,
  label: (n) => `${n / (1 << 20)}M`,
  data: (n) => addData(name, n),
});

export const workloads: readonly Workload[] = [
  {
    name: 'matmul', unit: 'GFLOP/s', sizes: [128, 256, 512, 1024], quickSizes: [128, 512], largeSizes: [2048, 4096], threads: [1, 2], threadsCount: 'compute', flintOnly: false,
    work: (n) => (2 * n ** 3) / 1e9,
    label: (n, threads) => (threads === 1 ? `${n}x${n}` : `${n}x${n}, ${threads} threads`),
    data: matmulData,
  },
  training('mlp', [64, 256], [64]),
  training('simplenet', [64]),
  training('cnn', [64]),
  elementwise('add', false),
  elementwise('add-into', false,
    'flint runs `acc.add_(b)` on a preallocated accumulator, one kernel writing into its storage. ' +
    'TensorFlow.js has no in-place add: it runs its idiom for one, `acc.assign(tf.add(acc, b))` on a ' +
    'tf.Variable, whose add allocates the result that assign then adopts without a copy.'),
  {
    name: 'gpt', unit: 'steps/s', sizes: [128, 256], quickSizes: [128], threads: [1, 2], threadsCount: 'compute', flintOnly: false,
    note: 'a character-level GPT training step: 2 pre-LN TransformerEncoderLayers of the given width (head size 32, feed-forward 4x, GELU, causal mask), context 64, batch 16, vocabulary 89, AdamW; the loss read back every step.',
    work: one,
    label: (width, threads) => `width ${width}${threads === 1 ? '' : `, ${threads} threads`}`,
    data: (width, threads) => sequenceData('gpt', width, threads),
  },
  {
    name: 'lstm', unit: 'steps/s', sizes: [256], quickSizes: [256], threads: [1, 2], threadsCount: 'compute', flintOnly: false,
    note: "word_language_model's training step: embedding 256, a 2-layer LSTM of 256 units, sequence 35, batch 20, SGD with clipping at 0.25; a character vocabulary (89), so the recurrence, not the decoder, is measured.",
    work: one,
    label: (hidden, threads) => `hidden ${hidden}${threads === 1 ? '' : `, ${threads} threads`}`,
    data: (hidden, threads) => sequenceData('lstm', hidden, threads),
  },
  {
    name: 'dataloader', unit: 'batches/s', sizes: [32], quickSizes: [32], threads: [0, 2], threadsCount: 'workers', flintOnly: true,
    note: `each item busy-waits 1 ms; a step is an epoch of ${EPOCH_BATCHES} batches; workers persist across epochs, so samples time steady state, not worker start-up.`,
    work: () => EPOCH_BATCHES,
    label: (size, threads) => `batch ${size}, ${threads} workers`,
    data: (batch, workers) => ({ kind: 'dataloader', batch, workers, items: EPOCH_BATCHES * batch, itemMs: 1 }),
  },
];

/** Whether `system` is measured in a cell of `w` with `threads` threads. */
export function takesPart(w: Workload, threads: number, system: { library: string; threads?: ThreadRole }): boolean {
  if (w.flintOnly && system.library !== 'flint') return false;
  return w.threadsCount === 'workers' || threads === 1 || system.threads !== undefined;
}

export function workload(name: string): Workload {
  const found = workloads.find((w) => w.name === name);
  if (!found) throw new Error(`unknown workload '${name}'; known: ${workloads.map((w) => w.name).join(', ')}`);
  return found;
}

/** A few entries spread over [0, count): the first, the last, and some seeded ones between. */
function sampleIndices(count: number): number[] {
  const next = rng(count);
  return [0, count - 1, ...Array.from({ length: 14 }, () => Math.floor(next() * count))];
}

function fail(message: string): never {
  throw new Error(`verification failed: ${message}`);
}

function verifyMatmul({ n, a, b }: MatmulData, c: Float32Array): void {
  for (const flat of sampleIndices(n * n)) {
    const i = Math.floor(flat / n), j = flat % n;
    let ref = 0, magnitude = 0;
    for (let k = 0; k < n; k++) {
      ref += a[i * n + k]! * b[k * n + j]!;
      magnitude += Math.abs(a[i * n + k]! * b[k * n + j]!);
    }
    // float32 accumulation over n terms: allow well above sqrt(n) * eps of the summed magnitudes.
    if (!(Math.abs(c[flat]! - ref) <= 1e-4 * magnitude + 1e-6)) fail(`matmul C[${i}][${j}] = ${c[flat]}, float64 reference ${ref}`);
  }
}

function verifyAdd({ kind, a, b }: AddData, out: Float32Array, steps: number): void {
  for (const i of sampleIndices(a.length)) {
    // Replays the float32 additions, so the comparison can be exact.
    let ref = a[i]!;
    for (let s = 0; s < (kind === 'add' ? 1 : steps); s++) ref = Math.fround(ref + b[i]!);
    if (out[i] !== ref) fail(`${kind}[${i}] = ${out[i]}, expected ${ref} after ${steps} steps`);
  }
}

function verifyTraining(losses: number[]): void {
  if (losses.length < 2) fail(`training: ${losses.length} measured steps, need at least 2 to see the loss fall`);
  if (!losses.every(Number.isFinite)) fail(`training: non-finite loss in ${losses.join(', ')}`);
  if (!(losses.at(-1)! < losses[0]!)) fail(`training: loss did not fall over the measured steps (${losses[0]} -> ${losses.at(-1)})`);
}

/** Throws if what a system computed is wrong. */
export function verify(data: WorkloadData, run: RunRecord): void {
  switch (data.kind) {
    case 'matmul': return verifyMatmul(data, run.result ?? fail('matmul: no result'));
    case 'add':
    case 'add-into': return verifyAdd(data, run.result ?? fail(`${data.kind}: no result`), run.steps);
    case 'train':
    case 'gpt':
    case 'lstm': return verifyTraining(run.values);
    case 'dataloader': {
      // Item i holds the value i, so an epoch that delivers every item once sums to 0 + 1 + ... + (items - 1).
      const expected = (data.items * (data.items - 1)) / 2;
      const wrong = run.values.find((sum) => sum !== expected);
      if (wrong !== undefined) fail(`dataloader: an epoch's items sum to ${wrong}, expected ${expected} (every index once)`);
    }
  }
}
