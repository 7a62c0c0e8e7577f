import type { Node, SliceOf } from './node.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { add } from '../ops/elementwise.ts';
import { embed } from '../ops/view.ts';
import { shapeEquals } from '../tensor/shape.ts';

/**
 * The gradient sums of the nodes a backward pass has not run yet. Without `createGraph`, a sum the
 * pass made itself is owned by it until handed to its node, so later gradients are added into it
 * in place, and a sub-view's gradient is added straight into its slice of the input's sum: the
 * T steps of a recurrent layer that each select one time step of [T, batch, n] then cost one
 * [T, batch, n] buffer and T slice writes, not T zero-filled copies and T - 1 whole additions.
 * With `createGraph` every sum is an ordinary recorded `add`.
 */
export class PendingGradients {
  readonly #sums = new Map<Node, Tensor>();
  readonly #owned = new Set<Tensor>();

  constructor(readonly inPlace: boolean) {}

  nodes(): IterableIterator<Node> {
    return this.#sums.keys();
  }

  /** Adds `g` to `node`'s sum. */
  add(node: Node, g: Tensor): void {
    const sum = this.#sums.get(node);
    if (!sum) {
      this.#sums.set(node, g);
    } else if (this.#owned.has(sum) && sum.dtype === g.dtype && shapeEquals(sum.shape, g.shape)) {
      sum.add_(g);
    } else {
      this.#own(node, add(sum, g));
    }
  }

  /** Adds `g`, the gradient of the sub-view `slice` takes of `node`'s output, into that slice of its sum. */
  addSlice(node: Node, slice: SliceOf, g: Tensor): void {
    const sum = this.#sums.get(node);
    if (sum && this.#owned.has(sum)) {
      const target = slice.make(sum);
      target.add_(g);
      target.dispose();
      return;
    }
    const embedded = embed(g, slice.shape, slice.make);
    if (sum) embedded.add_(sum);
    this.#own(node, embedded);
  }

  /** Removes and returns `node`'s sum; from now on others may hold it, so it is no longer written. */
  take(node: Node): Tensor | undefined {
    const sum = this.#sums.get(node);
    if (!sum) return undefined;
    this.#sums.delete(node);
    this.#owned.delete(sum);
    return sum;
  }

  #own(node: Node, sum: Tensor): void {
    this.#sums.set(node, sum);
    if (this.inPlace) this.#owned.add(sum);
  }
}
