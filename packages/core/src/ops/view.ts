/** Views (no copy) and the copies that make tensors contiguous. */
import { Tensor } from '../tensor/tensor.ts';
import { assertShape, contiguousStrides, formatShape, normalizeDim, normalizeDims, numel, shapeEquals, type Shape } from '../tensor/shape.ts';
import { backendOf, needsGrad, record, wrap } from './kernel.ts';
import { sumTo } from './elementwise.ts';
import { ViewGroup } from '../autograd/views.ts';
import { checkTensors } from './broadcast.ts';
import { NO_ATTRS, traced } from '../trace/state.ts';

/**
 * A new tensor over `x`'s storage with another layout; no data moves. It joins `x`'s view group,
 * so autograd sees in-place writes through either.
 */
export function makeView(x: Tensor, shape: Shape, strides: Shape, offset: number): Tensor {
  const view = new Tensor(x.ref.retain(), shape, strides, offset, x.dtype);
  view.joinViewGroup((x.viewGroup ??= new ViewGroup(x)));
  return view;
}

/**
 * A new handle on `x` (same storage, same layout). Ops that have nothing to do return one instead
 * of `x` itself, so disposing a result never disposes the input.
 */
export function alias(x: Tensor): Tensor {
  return traced('alias', [x], NO_ATTRS, () => {
    x.assertAlive('alias');
    return record('AliasBackward', makeView(x, x.shape, x.strides, x.offset), [x], [], (g) => [g]);
  });
}

/** A contiguous copy of `x`, not recorded. */
export function contiguousCopy(x: Tensor): Tensor {
  const backend = backendOf('contiguous', x);
  const out = wrap(backend, backend.alloc(x.size, x.dtype), x.shape, x.dtype);
  backend.copy(x.layout, out.layout);
  return out;
}

/** A contiguous tensor with `x`'s values: a new handle on `x` when it already is one, else a copy. */
export function contiguous(x: Tensor): Tensor {
  return traced('contiguous', [x], NO_ATTRS, () => {
    checkTensors('contiguous', [x]);
    if (x.isContiguous()) return alias(x);
    return record('CloneBackward', contiguousCopy(x), [x], [], (g) => [g]);
  });
}

/** A contiguous copy that shares nothing with `x`. */
export function clone(x: Tensor): Tensor {
  return traced('clone', [x], NO_ATTRS, () => {
    checkTensors('clone', [x]);
    return record('CloneBackward', contiguousCopy(x), [x], [], (g) => [g]);
  });
}

/** Same data, no history. */
export function detach(x: Tensor): Tensor {
  return traced('detach', [x], NO_ATTRS, () => {
    checkTensors('detach', [x]);
    return new Tensor(x.ref.retain(), x.shape, x.strides, x.offset, x.dtype);
  });
}

/** Strides that view `shape` over `x` without copying, or null (PyTorch's computeStride). */
function viewStrides(oldShape: Shape, oldStrides: Shape, newShape: Shape): number[] | null {
  if (numel(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** Resolves one -1 in `shape` and checks the element count. */
function inferShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  const free = shape.indexOf(-1);
  if (shape.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== free))) {
    throw new RangeError(`${op}(): invalid shape ${formatShape(shape)}`);
  }
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = [...shape];
  if (free >= 0) {
    if (known === 0 || x.size % known !== 0) throw new RangeError(`${op}(): shape '${formatShape(shape)}' is invalid for input of size ${x.size}`);
    out[free] = x.size / known;
  }
  if (numel(out) !== x.size) throw new RangeError(`${op}(): shape '${formatShape(shape)}' is invalid for input of size ${x.size}`);
  return out;
}

function reshapeView(x: Tensor, shape: Shape, strides: Shape, offset: number): Tensor {
  return record('ViewBackward', makeView(x, shape, strides, offset), [x], [], (g) => [reshape(g, x.shape)]);
}

/** `x` with a new shape: a view when the strides allow, else a copy. One dim may be -1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  return traced('reshape', [x], { shape }, () => {
    checkTensors('reshape', [x]);
    const target = inferShape('reshape', x, shape);
    if (shapeEquals(target, x.shape)) return alias(x);
    const strides = viewStrides(x.shape, x.strides, target);
    if (strides) return reshapeView(x, target, strides, x.offset);
    const c = contiguous(x);
    const out = reshapeView(c, target, contiguousStrides(target), c.offset);
    c.dispose();
    return out;
  });
}

/** Like {@link reshape} but never copies: throws when the strides do not allow a view. */
export function viewShape(x: Tensor, shape: readonly number[]): Tensor {
  return traced('view', [x], { shape }, () => {
    checkTensors('view', [x]);
    const target = inferShape('view', x, shape);
    const strides = viewStrides(x.shape, x.strides, target);
    if (!strides) {
      throw new Error(`view(): view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use reshape() instead.`);
    }
    return reshapeView(x, target, strides, x.offset);
  });
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  return traced('flatten', [x], { startDim, endDim }, () => {
    checkTensors('flatten', [x]);
    if (x.ndim === 0) return reshape(x, [1]);
    const s = normalizeDim('flatten', startDim, x.ndim);
    const e = normalizeDim('flatten', endDim, x.ndim);
    if (s > e) throw new RangeError('flatten(): start_dim cannot come after end_dim');
    const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
    return reshape(x, shape);
  });
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  return traced('permute', [x], { dims }, () => {
    checkTensors('permute', [x]);
    if (dims.length !== x.ndim) {
      throw new RangeError(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`);
    }
    const order = dims.map((d) => normalizeDim('permute', d, x.ndim));
    if (new Set(order).size !== order.length) throw new RangeError('permute(): repeated dim');
    const inverse = new Array<number>(order.length);
    order.forEach((d, i) => (inverse[d] = i));
    const out = makeView(x, order.map((d) => x.shape[d]!), order.map((d) => x.strides[d]!), x.offset);
    return record('PermuteBackward', out, [x], [], (g) => [permute(g, inverse)]);
  });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  return traced('transpose', [x], { dim0, dim1 }, () => {
    checkTensors('transpose', [x]);
    const rank = Math.max(x.ndim, 1);
    const a = normalizeDim('transpose', dim0, rank);
    const b = normalizeDim('transpose', dim1, rank);
    if (x.ndim < 2) return alias(x);
    const order = x.shape.map((_, i) => i);
    order[a] = b;
    order[b] = a;
    return permute(x, order);
  });
}

/** Broadcasts `x` to `shape` (-1 keeps a size) with zero strides; no copy. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  return traced('expand', [x], { shape }, () => {
    checkTensors('expand', [x]);
    const lead = shape.length - x.ndim;
    if (lead < 0) throw new RangeError(`expand(): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
    const outShape: number[] = [];
    const strides: number[] = [];
    shape.forEach((d, i) => {
      const j = i - lead;
      const size = j >= 0 ? x.shape[j]! : 1;
      if (d === -1 && j < 0) throw new RangeError(`expand(): The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      const target = d === -1 ? size : d;
      if (j >= 0 && size !== target && size !== 1) {
        throw new RangeError(`expand(): The expanded size of the tensor (${target}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(shape)}.  Tensor sizes: ${formatShape(x.shape)}`);
      }
      outShape.push(target);
      strides.push(j >= 0 && size === target ? x.strides[j]! : 0);
    });
    assertShape('expand', outShape);
    if (shapeEquals(outShape, x.shape)) return alias(x);
    return record('ExpandBackward', makeView(x, outShape, strides, x.offset), [x], [], (g) => [sumTo(g, x.shape)]);
  });
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  return traced('squeeze', [x], { dim }, () => {
    checkTensors('squeeze', [x]);
    const dims = dim === undefined ? x.shape.map((_, i) => i) : normalizeDims('squeeze', dim, x.ndim);
    const keep = x.shape.map((d, i) => !(d === 1 && dims.includes(i)));
    if (keep.every(Boolean)) return alias(x);
    const out = makeView(x, x.shape.filter((_, i) => keep[i]), x.strides.filter((_, i) => keep[i]), x.offset);
    return record('SqueezeBackward', out, [x], [], (g) => [reshape(g, x.shape)]);
  });
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  return traced('unsqueeze', [x], { dim }, () => {
    checkTensors('unsqueeze', [x]);
    const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
    const shape = [...x.shape];
    const strides = [...x.strides];
    shape.splice(d, 0, 1);
    strides.splice(d, 0, d < x.ndim ? x.strides[d]! * x.shape[d]! : 1);
    return record('UnsqueezeBackward', makeView(x, shape, strides, x.offset), [x], [], (g) => [reshape(g, x.shape)]);
  });
}

// ---- sub-selections: narrow, select, index; their gradient embeds into zeros ------------------

/** Makes the same sub-view of any tensor shaped like the original input. */
type SubView = (t: Tensor) => Tensor;

function subview(name: string, x: Tensor, make: SubView): Tensor {
  const recorded = needsGrad(x);
  const out = record(name, make(x), [x], [], (g) => [embed(g, x.shape, make)]);
  if (recorded) out.gradFn!.slice = { shape: x.shape, make };
  return out;
}

/** Zeros of `shape` with `g` written into the `make` sub-view; the adjoint of taking that view. */
export function embed(g: Tensor, shape: Shape, make: SubView): Tensor {
  const backend = backendOf('embed', g);
  const out = wrap(backend, backend.fill(numel(shape), 0, g.dtype), shape, g.dtype);
  const target = make(out);
  backend.copy(g.layout, target.layout);
  target.dispose();
  return record('SliceBackward', out, [g], [], (gg) => [subview('SliceBackward', gg, make)]);
}

/** Elements `start .. start + length` of `dim`, as a view. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  return traced('narrow', [x], { dim, start, length }, () => {
    checkTensors('narrow', [x]);
    const d = normalizeDim('narrow', dim, x.ndim);
    const size = x.shape[d]!;
    const s = start < 0 ? start + size : start;
    if (!Number.isInteger(s) || s < 0 || !Number.isInteger(length) || length < 0 || s + length > size) {
      throw Number.isInteger(start) && Number.isInteger(length) ? new RangeError(`narrow(): start (${start}) + length (${length}) exceeds dimension size (${size}).`) : new TypeError(`narrow(): start and length must be integers, but got start=${start}, length=${length}`);
    }
    return subview('NarrowBackward', x, (t) => {
      const shape = [...t.shape];
      shape[d] = length;
      return makeView(t, shape, t.strides, t.offset + s * t.strides[d]!);
    });
  });
}

/** The view taking the diagonal of the `a` x `b` planes of tensors shaped `shape`. */
function diagonalOf(op: string, shape: Shape, offset: number, dim1: number, dim2: number): SubView {
  const a = normalizeDim(op, dim1, shape.length);
  const b = normalizeDim(op, dim2, shape.length);
  if (a === b) throw new RangeError(`${op}(): diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  if (!Number.isInteger(offset)) throw new TypeError(`${op}(): offset must be an integer, got ${offset}`);
  const length = Math.max(0, Math.min(shape[a]! + Math.min(offset, 0), shape[b]! - Math.max(offset, 0)));
  const rest = shape.map((_, i) => i).filter((i) => i !== a && i !== b);
  return (t) => {
    const start = length === 0 ? 0 : offset >= 0 ? offset * t.strides[b]! : -offset * t.strides[a]!;
    return makeView(t, [...rest.map((i) => t.shape[i]!), length], [...rest.map((i) => t.strides[i]!), t.strides[a]! + t.strides[b]!], t.offset + start);
  };
}

/**
 * The diagonal of the `dim1` x `dim2` planes, `offset` above (positive) or below the main one, as a
 * view with that axis last, like PyTorch's.
 * @example flint.diagonal(flint.eye(3), 0) // [1, 1, 1]
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  checkTensors('diagonal', [x]);
  return subview('DiagonalBackward', x, diagonalOf('diagonal', x.shape, offset, dim1, dim2));
}

/** The adjoint of {@link diagonal}: zeros of `shape` with `x` written along that diagonal. */
export function embedDiagonal(op: string, x: Tensor, shape: Shape, offset: number, dim1: number, dim2: number): Tensor {
  x.assertAlive(op);
  return embed(x, shape, diagonalOf(op, shape, offset, dim1, dim2));
}

/** The slice at `index` of `dim`, removing that dim. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  return traced('select', [x], { dim, index }, () => {
    checkTensors('select', [x]);
    const d = normalizeDim('select', dim, x.ndim);
    return indexTensor(x, [...new Array<IndexSpec>(d).fill(':'), index]);
  });
}

/** One entry of a basic index: a number, a slice, `null` (new dim), `'...'` or `':'`. */
export type IndexSpec = number | null | '...' | ':' | readonly [start?: number | null, stop?: number | null, step?: number | null] | SliceSpec;
export interface SliceSpec {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** x[spec...] with Python's rules for negative and out-of-range bounds. */
export function index(x: Tensor, spec: readonly IndexSpec[]): Tensor {
  checkTensors('index', [x]);
  return indexTensor(x, spec);
}

function indexTensor(x: Tensor, spec: readonly IndexSpec[]): Tensor {
  x.assertAlive('index');
  const consumed = spec.filter((s) => s !== null && s !== '...').length;
  const ellipses = spec.filter((s) => s === '...').length;
  if (ellipses > 1) throw new RangeError('index(): an index can only have a single ellipsis');
  if (consumed > x.ndim) throw new RangeError(`index(): too many indices for tensor of dimension ${x.ndim}`);
  const full: IndexSpec[] = [];
  for (const s of spec) {
    if (s === '...') for (let i = 0; i < x.ndim - consumed; i++) full.push(':');
    else full.push(s);
  }
  while (full.filter((s) => s !== null).length < x.ndim) full.push(':');
  const plan = planIndex(x.shape, full);
  return subview('IndexBackward', x, (t) => {
    const shape: number[] = [];
    const strides: number[] = [];
    let offset = t.offset;
    for (const p of plan) {
      if (p.kind === 'new') {
        shape.push(1);
        strides.push(0);
      } else if (p.kind === 'at') offset += p.at * t.strides[p.dim]!;
      else {
        offset += p.start * t.strides[p.dim]!;
        shape.push(p.length);
        strides.push(p.step * t.strides[p.dim]!);
      }
    }
    return makeView(t, shape, strides, offset);
  });
}

type Planned = { kind: 'new' } | { kind: 'at'; dim: number; at: number } | { kind: 'slice'; dim: number; start: number; length: number; step: number };

function planIndex(shape: Shape, spec: readonly IndexSpec[]): Planned[] {
  let dim = 0;
  return spec.map((s): Planned => {
    if (s === null) return { kind: 'new' };
    const size = shape[dim]!;
    const d = dim++;
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -size || s >= size) throw new RangeError(`index(): index ${s} is out of bounds for dimension ${d} with size ${size}`);
      return { kind: 'at', dim: d, at: s < 0 ? s + size : s };
    }
    const { start, stop, step } = s === ':' || s === '...' ? {} : Array.isArray(s) ? { start: s[0], stop: s[1], step: s[2] } : (s as SliceSpec);
    const st = step ?? 1;
    if (!Number.isInteger(st) || st <= 0) throw new RangeError('index(): slice step must be a positive integer');
    const clampBound = (v: number | null | undefined, dflt: number): number => {
      if (v === null || v === undefined) return dflt;
      const r = v < 0 ? v + size : v;
      return Math.min(Math.max(r, 0), size);
    };
    const lo = clampBound(start, 0);
    const hi = clampBound(stop, size);
    return { kind: 'slice', dim: d, start: lo, length: Math.max(0, Math.ceil((hi - lo) / st)), step: st };
  });
}
