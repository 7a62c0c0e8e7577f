/**
 * How a dataset reaches a worker thread. Objects cannot cross threads, so the main thread
 * describes the dataset and the worker builds its own copy from the description: tensors travel
 * as (shared) host memory, Subset and ConcatDataset as their parts, anything else as a module
 * export to import and call.
 */
import type { AnyTypedArray } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { ConcatDataset } from './concat-dataset.ts';
import { type Dataset, type WorkerSource, isMapDataset } from './dataset.ts';
import { hostTensor, type HostTensor } from './host-tensor.ts';
import { HostTensorDataset } from './host-tensor-dataset.ts';
import { Subset } from './subset.ts';
import { TensorDataset } from './tensor-dataset.ts';

export type DatasetSpec =
  | { readonly kind: 'tensors'; readonly tensors: readonly HostTensor[] }
  | { readonly kind: 'subset'; readonly dataset: DatasetSpec; readonly indices: readonly number[] }
  | { readonly kind: 'concat'; readonly datasets: readonly DatasetSpec[] }
  | { readonly kind: 'module'; readonly source: WorkerSource };

/** Main thread: the description of `dataset`, or a TypeError saying how to make one. */
export async function describeDataset(dataset: Dataset<unknown>): Promise<DatasetSpec> {
  if (dataset instanceof TensorDataset) return { kind: 'tensors', tensors: await Promise.all(dataset.tensors.map(shareTensor)) };
  if (dataset instanceof Subset) return { kind: 'subset', dataset: await describeDataset(dataset.dataset), indices: [...dataset.indices] };
  if (dataset instanceof ConcatDataset) return { kind: 'concat', datasets: await Promise.all(dataset.datasets.map(describeDataset)) };
  const source = (dataset as { workerSource?(): WorkerSource }).workerSource?.();
  if (source === undefined) {
    throw new TypeError(
      `DataLoader: numWorkers > 0 needs a dataset that worker threads can rebuild, but ${dataset.constructor?.name ?? 'this dataset'} has no workerSource() method. ` +
        "Use a TensorDataset (or a Subset or ConcatDataset of rebuildable datasets), or add workerSource() { return { module: import.meta.url, export: 'MyDataset', args: [...] }; }.",
    );
  }
  return { kind: 'module', source };
}

/** Worker: the dataset `spec` describes. */
export async function rebuildDataset(spec: DatasetSpec): Promise<Dataset<unknown>> {
  switch (spec.kind) {
    case 'tensors':
      return new HostTensorDataset(spec.tensors);
    case 'subset':
      return new Subset(await rebuildDataset(spec.dataset), spec.indices);
    case 'concat':
      return new ConcatDataset(await Promise.all(spec.datasets.map(rebuildDataset)));
    case 'module': {
      const dataset = (await callExport(spec.source)) as Dataset<unknown>;
      if (typeof dataset !== 'object' || dataset === null || !isMapDataset(dataset)) {
        throw new TypeError(`DataLoader worker: ${spec.source.export} from ${spec.source.module} did not produce a map-style dataset (an object with getItem and length)`);
      }
      return dataset;
    }
  }
}

/** Every module a worker imports for `spec`: the worker needs a TypeScript loader if any is .ts. */
export function specModules(spec: DatasetSpec): string[] {
  switch (spec.kind) {
    case 'tensors':
      return [];
    case 'subset':
      return specModules(spec.dataset);
    case 'concat':
      return spec.datasets.flatMap(specModules);
    case 'module':
      return [spec.source.module];
  }
}

/** Worker: imports `source.module` and constructs (a class) or calls (a function) the export with `leading` and `source.args`. */
export async function callExport(source: WorkerSource, leading: readonly unknown[] = []): Promise<unknown> {
  const module = (await import(/* @vite-ignore */ source.module)) as Record<string, unknown>;
  const value = module[source.export];
  if (typeof value !== 'function') throw new TypeError(`DataLoader worker: ${source.module} has no export '${source.export}' that is a class or a function`);
  const args = [...leading, ...(source.args ?? [])];
  const isClass = Function.prototype.toString.call(value).startsWith('class');
  return isClass ? new (value as new (...a: unknown[]) => unknown)(...args) : await (value as (...a: unknown[]) => unknown)(...args);
}

/**
 * A tensor's values in memory every worker can read: one SharedArrayBuffer copy, or (where
 * shared memory is unavailable, as in browsers without cross-origin isolation) a plain copy that
 * each worker receives as a clone.
 */
async function shareTensor(t: Tensor): Promise<HostTensor> {
  const data = await t.data();
  if (typeof SharedArrayBuffer === 'undefined') return hostTensor(data, [...t.shape], t.dtype);
  const Ctor = data.constructor as new (buffer: SharedArrayBuffer) => AnyTypedArray;
  const shared = new Ctor(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return hostTensor(shared, [...t.shape], t.dtype);
}
