import { numel, type DType, type Storage, type View } from '@flint/core';
import { elementBytes, type ElementType } from './codes.ts';
import { Heap, Scratch, wasmStorage, type WasmStorage } from './heap.ts';
import { EXTRA_WORD, outputOperand, viewOperand, writeRows, type Operand } from './layout.ts';
import type { Kernels, LoadedModule } from './module.ts';
import type { GemmCall, ThreadArea, ThreadPool } from './threads.ts';
import type { Task } from './worker-program.ts';

/** Bytes of the parameter block (assembly/iter.ts: header, running state, extras). */
const PARAM_BYTES = 2048;
/** Scalar operand cells: two per kernel call at most, 8 bytes apart. */
const SCALAR_CELLS = 2;

/**
 * What the kernel wrappers share: the heap, the wasm exports, one parameter block and the scratch
 * areas. Kernels run synchronously, one at a time, so one block serves every call.
 */
export class Runtime {
  readonly heap: Heap;
  readonly k: Kernels;
  /** Byte address of the parameter block. */
  readonly params: number;
  /** Byte address of the scalar operand cells. */
  readonly #scalars: number;
  /** Packing areas of the gemm, and per-op work areas. */
  readonly packA: number;
  readonly packB: number;
  readonly work: Scratch;
  readonly accumulator: Scratch;
  /** Contiguous copies of strided operands for kernels that need them. */
  readonly staging: readonly [Scratch, Scratch];

  /** Worker threads for large products, where available. */
  readonly pool: ThreadPool | undefined;
  /** The calling thread's share of a split task: its packing areas and scratch. */
  readonly #own: ThreadArea;

  constructor(heap: Heap, loaded: LoadedModule, pool: ThreadPool | undefined) {
    const kernels = loaded.kernels;
    this.heap = heap;
    this.k = kernels;
    this.pool = pool;
    this.params = heap.block(PARAM_BYTES).ptr;
    this.#scalars = heap.block(SCALAR_CELLS * 8).ptr;
    this.packA = heap.block(kernels.packABytes()).ptr;
    this.packB = heap.block(kernels.packBBytes()).ptr;
    this.work = new Scratch(heap);
    this.accumulator = new Scratch(heap);
    this.staging = [new Scratch(heap), new Scratch(heap)];
    this.#own = { packA: this.packA, packB: this.packB, work: this.work, partial: this.accumulator };
    // The kernels' per-sample loops call back for their products, which may then split.
    loaded.routeGemm((...call) => this.gemm(...(call as GemmCall)));
  }

  /** A float32 product into a row-major block, split over the worker threads when large enough. */
  gemm(...call: GemmCall): void {
    if (this.pool?.gemm(call, this.#own)) return;
    const [batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, accumulate] = call;
    this.k.gemm(batch, M, K, N, a, aBatch, aRow, aCol, b, bBatch, bRow, bCol, out, N, accumulate, this.packA, this.packB);
  }

  /**
   * Runs a per-sample `task` over `count` samples (`work` multiply-adds in all): split over the
   * worker threads when large enough, else in one call here. Returns the parts it ran in; `args`
   * gives a part's export arguments for samples [n0, n1), `area` holding that thread's scratch.
   */
  samples(task: Task, count: number, work: number, args: (n0: number, n1: number, area: ThreadArea, part: number) => number[]): number {
    const parts = this.pool?.samples(task, count, work, this.#own, args) ?? 0;
    if (parts > 0) return parts;
    (this.k[task] as (...args: number[]) => void)(...args(0, count, this.#own, 0));
    return 1;
  }

  /** The live storage of a view (throws on foreign or freed storages). */
  storage(view: View | Storage): WasmStorage {
    return wasmStorage('storage' in view ? view.storage : view);
  }

  /** A view as a kernel operand. */
  operand(view: View): Operand {
    return viewOperand(view, this.storage(view).ptr);
  }

  /** A fresh contiguous output storage of `shape` and its operand. */
  output(shape: readonly number[], dtype: DType): { storage: WasmStorage; operand: Operand } {
    const storage = this.heap.alloc(numel(shape), dtype);
    return { storage, operand: outputOperand(storage.ptr, shape, dtype) };
  }

  /**
   * An operand repeating `value` (already converted to `dtype` by core) over `shape`, held in
   * scalar cell `slot`: kernels run one at a time, so a cell is free again after the call.
   */
  scalar(slot: number, value: number, dtype: DType, shape: readonly number[]): Operand {
    const addr = this.#scalars + slot * 8;
    if (dtype === 'float32') this.heap.f32[addr >>> 2] = value;
    else if (dtype === 'int32') this.heap.i32[addr >>> 2] = value;
    else this.heap.u8[addr] = value;
    return { addr, strides: shape.map(() => 0), bytes: elementBytes[dtype] };
  }

  /** A contiguous operand over a raw address (scratch). */
  raw(addr: number, shape: readonly number[], type: ElementType): Operand {
    return outputOperand(addr, shape, type);
  }

  /** Writes the row-iteration header for `operands` over `shape`; returns the block address. */
  rows(shape: readonly number[], operands: readonly Operand[]): number {
    writeRows(this.heap.i32, this.params >>> 2, shape, operands);
    return this.params;
  }

  /** Writes kernel-specific integer parameters after the header. */
  extra(values: readonly number[]): void {
    this.heap.i32.set(values, (this.params >>> 2) + EXTRA_WORD);
  }
}
