import type { Tensor } from '../tensor/tensor.ts';
import type { HookList, TensorHook } from './hooks.ts';
import type { Shape } from '../tensor/shape.ts';

/** Computes the gradients of a node's inputs from the gradient of its output. */
export type BackwardFn = (grad: Tensor) => ReadonlyArray<Tensor | null | undefined>;

/**
 * What a sub-view's node (narrow, select, index, a chunk or split piece) took from its one input:
 * the input's shape and how to take the same view of any tensor of that shape. With it the engine
 * adds the piece's gradient straight into the input's gradient sum, instead of embedding it in
 * zeros of the input's size and adding that.
 */
export interface SliceOf {
  readonly shape: Shape;
  readonly make: (t: Tensor) => Tensor;
}

/** Where an input's gradient goes: the node that produced it, or the leaf that accumulates it. */
export type Edge = { readonly node: Node; readonly leaf?: undefined } | { readonly node?: undefined; readonly leaf: Tensor };

interface Saved {
  readonly tensor: Tensor;
  readonly version: number;
}

let nextSeq = 0;
/** The sequence number the next node will get; nodes are numbered in creation order. */
export function peekNextNodeSeq(): number {
  return nextSeq;
}

/** One recorded op in the dynamic graph: its inputs' edges, its backward, and what it saved. */
export class Node {
  /** Creation order: a node can only save tensors that existed when it was made. */
  readonly seq = nextSeq++;
  private savedTensors: Saved[];
  /** Tensors kept alive only for this graph; disposed when the graph is released. */
  readonly owned: Tensor[] = [];
  /** The non-leaf output whose `.grad` should be filled (`retainGrad()`). */
  retained: Tensor | null = null;
  /**
   * Hooks registered on the tensor this node made (`registerHook`): they see its total gradient
   * before the backward runs, and may replace it. Made on first registration: most nodes have none.
   */
  hooks: HookList<TensorHook> | null = null;
  /** Set on sub-view nodes: see {@link SliceOf}. */
  slice: SliceOf | null = null;

  constructor(
    readonly name: string,
    readonly edges: ReadonlyArray<Edge | null>,
    private backwardFn: BackwardFn | null,
    saved: readonly Tensor[],
  ) {
    this.savedTensors = saved.map((tensor) => ({ tensor, version: tensor.version }));
  }

  get saved(): readonly Tensor[] {
    return this.savedTensors.map((s) => s.tensor);
  }

  get released(): boolean {
    return this.backwardFn === null;
  }

  /** Runs the backward, first checking that nothing it saved was freed or overwritten. */
  apply(grad: Tensor): ReadonlyArray<Tensor | null | undefined> {
    if (!this.backwardFn) {
      throw new Error(
        `Trying to backward through the graph a second time (${this.name}), but the saved intermediate results have already been freed. ` +
          'Specify retainGraph: true when calling backward() the first time.',
      );
    }
    for (const { tensor, version } of this.savedTensors) {
      if (tensor.isDisposed) {
        throw new Error(`${this.name}: a tensor saved for backward was disposed before backward() ran; keep it alive (flint.keep or return it from tidy) until backward.`);
      }
      if (tensor.version !== version) {
        throw new Error(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
            `a tensor of shape [${tensor.shape.join(', ')}] saved by ${this.name} is at version ${tensor.version}; expected version ${version} instead.`,
        );
      }
    }
    return this.backwardFn(grad);
  }

  /** Frees what backward needed; the node can no longer run. */
  release(): void {
    this.backwardFn = null;
    this.savedTensors = [];
    this.hooks = null;
    for (const t of this.owned.splice(0)) t.dispose();
  }
}
