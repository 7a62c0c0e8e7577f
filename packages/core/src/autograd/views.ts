/**
 * Autograd through views that are written in place. A tensor and the views made from it share one
 * {@link ViewGroup}, which holds the graph node of the base's current values. Writing into a view
 * under autograd rewrites the base's history (a CopySlices node: the written window's gradient goes
 * to the in-place op, the rest to the base's old history), and every view whose node predates the
 * base's current one is re-derived from it on its next use, so no view or base is left differentiating
 * values it no longer holds.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { contiguousStrides, numel, shapeEquals, type Shape } from '../tensor/shape.ts';
import { Node, type Edge } from './node.ts';
import { tensor, zeros } from '../ops/creation.ts';
import { reshape } from '../ops/view.ts';
import { where } from '../ops/elementwise.ts';
import { indexSelect, scatterAddValid } from '../ops/indexing.ts';

interface Geometry {
  readonly shape: Shape;
  readonly strides: Shape;
  readonly offset: number;
}

/** Storage positions of a strided window's elements, in row-major order. */
function positions({ shape, strides, offset }: Geometry): Int32Array {
  const out = new Int32Array(numel(shape));
  const index = new Array<number>(shape.length).fill(0);
  let pos = offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = pos;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) {
        pos += strides[d]!;
        break;
      }
      pos -= (shape[d]! - 1) * strides[d]!;
      index[d] = 0;
    }
  }
  return out;
}

export class ViewGroup {
  /** The graph node behind the base's current values (null while they have no history). */
  node: Node | null;
  private readonly geometry: Geometry;

  constructor(readonly base: Tensor) {
    this.node = base.gradFn;
    this.geometry = { shape: base.shape, strides: base.strides, offset: base.offset };
  }

  /** Index into the flattened base of each element of `view`, computed when a backward needs it. */
  private baseIndices(view: Geometry): Int32Array {
    const at = positions(view);
    const { shape, strides, offset } = this.geometry;
    if (shapeEquals(strides, contiguousStrides(shape))) return at.map((p) => p - offset);
    const inverse = new Map<number, number>();
    positions(this.geometry).forEach((p, i) => inverse.set(p, i));
    return at.map((p) => inverse.get(p)!);
  }

  private indexTensor(view: Geometry, device: string): Tensor {
    return tensor(this.baseIndices(view), { dtype: 'int32', device });
  }

  private baseEdge(): Edge | null {
    if (this.node) return { node: this.node };
    return this.base.requiresGrad ? { leaf: this.base } : null;
  }

  /** A node for `view` reading the base's current values: its gradient scatters into the base's. */
  viewNode(view: Geometry): Node {
    const baseShape = this.geometry.shape;
    return new Node('AsStridedBackward', [this.baseEdge()], (g) => {
      const flat = zeros([numel(baseShape)], { dtype: g.dtype, device: g.device });
      return [reshape(scatterAddValid(flat, 0, this.indexTensor(view, g.device), reshape(g, [-1])), baseShape)];
    }, []);
  }

  /**
   * Records that `written` (a window of the base) now holds the output of `node`: the base's
   * history becomes a CopySlices of its old history outside the window and `node` inside it.
   */
  copySlices(written: Geometry, node: Node): void {
    const baseShape = this.geometry.shape;
    const copy = new Node('CopySlices', [this.baseEdge(), { node }], (g) => {
      const index = this.indexTensor(written, g.device);
      const inWindow = new Uint8Array(numel(baseShape));
      for (const i of this.baseIndices(written)) inWindow[i] = 1;
      const mask = reshape(tensor(inWindow, { dtype: 'bool', device: g.device }), baseShape);
      return [where(mask, 0, g), reshape(indexSelect(reshape(g, [-1]), 0, index), written.shape)];
    }, []);
    this.node = copy;
    if (!this.base.isDisposed) this.base.setGradFn(copy);
  }
}
