/** flint's side of every workload, on whichever backend the system names. */
import * as flint from '@flint/core';
import type { AddData, TrainData, WorkloadData } from '../workloads.ts';
import type { Adapter, LocalInstance as Instance } from './adapter.ts';
import type { FlintSystem } from './index.ts';
import { buildNet } from './flint-model.ts';
import { loaderInstance } from './flint-dataloader.ts';
import { sequenceTrainer } from './flint-sequence.ts';

/** Reads a one-element tensor and releases it; awaited, so it also waits for GPU backends. */
async function readScalar(t: flint.Tensor): Promise<number> {
  try {
    return await t.item();
  } finally {
    t.dispose();
  }
}

async function readAll(t: flint.Tensor, dispose: boolean): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    if (dispose) t.dispose();
  }
}

/** The last element: reading it waits for the whole result without timing a host copy of all of it. */
function lastElement(t: flint.Tensor): flint.Tensor {
  return flint.tidy(() => t.reshape(-1).narrow(0, t.size - 1, 1));
}

/** A step that makes a new tensor from two inputs (matmul, add). */
function producing(aValues: Float32Array, bValues: Float32Array, shape: number[], op: (a: flint.Tensor, b: flint.Tensor) => flint.Tensor): Instance {
  const a = flint.tidy(() => flint.tensor(aValues).reshape(shape));
  const b = flint.tidy(() => flint.tensor(bValues).reshape(shape));
  return {
    step: async () => {
      const out = op(a, b);
      try {
        return await readScalar(lastElement(out));
      } finally {
        out.dispose();
      }
    },
    result: () => readAll(op(a, b), true),
    dispose: () => { a.dispose(); b.dispose(); },
  };
}

/** `acc.add_(b)` on a preallocated accumulator: one kernel writing into acc's own storage. */
function addInto({ a, b }: AddData): Instance {
  const acc = flint.tensor(a);
  const other = flint.tensor(b);
  return {
    step: () => readScalar(lastElement(acc.add_(other))),
    result: () => readAll(acc, false),
    dispose: () => { acc.dispose(); other.dispose(); },
  };
}

function trainer(data: TrainData): Instance {
  const net = buildNet(data);
  const optimizer = new flint.optim.SGD(net.parameters(), { lr: data.lr });
  const x = flint.tidy(() => flint.tensor(data.x).reshape([data.batch, ...data.model.input]));
  const y = flint.tensor(data.y);
  return {
    step: () => readScalar(flint.tidy(() => {
      const loss = flint.nn.functional.crossEntropy(net.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      return loss.detach();
    })),
    dispose: () => {
      net.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** What a backend package may export besides its registration (`@flint/wasm-simd`'s thread controls). */
interface BackendPackage {
  setNumThreads?(n: number): void;
  wasmInfo?(): { relaxedSimd: boolean; threads: number };
}

async function prepare(data: WorkloadData, pkg: BackendPackage): Promise<Instance> {
  switch (data.kind) {
    case 'matmul':
      pkg.setNumThreads?.(data.threads);
      return producing(data.a, data.b, [data.n, data.n], (a, b) => a.matmul(b));
    case 'add': return producing(data.a, data.b, [data.a.length], (a, b) => a.add(b));
    case 'add-into': return addInto(data);
    case 'train': return trainer(data);
    case 'dataloader': return loaderInstance(data);
    case 'gpt':
    case 'lstm':
      pkg.setNumThreads?.(data.threads);
      return sequenceTrainer(data);
  }
}

/** Work counters a GPU backend keeps (`@flint/webgpu`'s `stats`). */
interface GpuStats {
  readonly dispatches: number;
  readonly submits: number;
}

/** "SIMD, 2 threads": how wasm-simd ran the cell. */
function wasmDetail(info: NonNullable<BackendPackage['wasmInfo']>): string {
  const { relaxedSimd, threads } = info();
  return `${relaxedSimd ? 'relaxed SIMD' : 'SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}`;
}

export async function createFlint(s: FlintSystem): Promise<Adapter> {
  const pkg = (await import(s.pkg)) as BackendPackage;
  const backend = await flint.setBackend(s.backend);
  const stats = (backend as { stats?: GpuStats }).stats;
  const prepareHere = (data: WorkloadData) => prepare(data, pkg);
  if (!stats) {
    const info = pkg.wasmInfo;
    return { get detail() { return info ? wasmDetail(info) : ''; }, prepare: prepareHere };
  }
  // Counts steps so the report can say how many kernels and submits one step costs.
  let steps = 0;
  return {
    get detail() {
      return steps === 0 ? '' : `${Math.round(stats.dispatches / steps)} dispatches and ${(stats.submits / steps).toFixed(1)} submits per step`;
    },
    prepare: async (data) => {
      const instance = await prepareHere(data);
      const step = instance.step.bind(instance);
      return { ...instance, step: () => (steps++, step()) };
    },
  };
}
