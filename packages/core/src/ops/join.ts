/** Joining and splitting along a dim. */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape, normalizeDim } from '../tensor/shape.ts';
import { promoteTypes } from '../tensor/dtype.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { castTo } from './cast.ts';
import { narrow, unsqueeze } from './view.ts';
import { zeros } from './creation.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { typeName } from '../tensor/type-name.ts';
import { traced } from '../trace/state.ts';

/** A sequence argument of tensors (cat, stack): an array whose every element is a live Tensor. */
function checkTensorList(op: string, tensors: unknown): void {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}(): expected a sequence of Tensors, but got ${typeName(tensors)}`);
  checkTensors(op, tensors);
}

/** Concatenates along `dim`; every other size must match. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  return traced('cat', [tensors], { dim }, () => {
    checkTensorList('cat', tensors);
    if (tensors.length === 0) throw new RangeError('cat(): expected a non-empty list of Tensors');
    const backend = backendOf('cat', ...tensors);
    const first = tensors[0]!;
    const d = normalizeDim('cat', dim, first.ndim);
    tensors.forEach((t, i) => {
      if (t.ndim !== first.ndim) throw new RangeError(`cat(): Tensors must have same number of dimensions: got ${first.ndim} and ${t.ndim}`);
      t.shape.forEach((s, j) => {
        if (j !== d && s !== first.shape[j]) {
          throw new RangeError(`cat(): Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[j]} but got size ${s} for tensor number ${i} in the list (shapes ${formatShape(first.shape)} and ${formatShape(t.shape)}).`);
        }
      });
    });
    const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
    const shape = [...first.shape];
    shape[d] = tensors.reduce((n, t) => n + t.shape[d]!, 0);
    const out = wrap(backend, backend.alloc(shape.reduce((a, b) => a * b, 1), dtype), shape, dtype);
    const offsets: number[] = [];
    let at = 0;
    for (const t of tensors) {
      offsets.push(at);
      const src = t.dtype === dtype ? t : castTo(t, dtype);
      const window = out.layout;
      const winShape = [...shape];
      winShape[d] = t.shape[d]!;
      backend.copy(src.layout, { ...window, shape: winShape, offset: at * out.strides[d]! });
      if (src !== t) src.dispose();
      at += t.shape[d]!;
    }
    return record('CatBackward', out, tensors, [], (g) => tensors.map((t, i) => (t.requiresGrad ? narrow(g, d, offsets[i]!, t.shape[d]!) : null)));
  });
}

/** Stacks equally shaped tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  return traced('stack', [tensors], { dim }, () => {
    checkTensorList('stack', tensors);
    if (tensors.length === 0) throw new RangeError('stack(): expected a non-empty list of Tensors');
    const first = tensors[0]!;
    tensors.forEach((t, i) => {
      if (formatShape(t.shape) !== formatShape(first.shape)) {
        throw new RangeError(`stack(): stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`);
      }
    });
    const d = normalizeDim('stack', dim, first.ndim + 1);
    const expanded = tensors.map((t) => unsqueeze(t, d));
    const out = cat(expanded, d);
    for (const t of expanded) t.dispose();
    return out;
  });
}

/** Views of consecutive pieces of `splitSize` (or of the listed sizes) along `dim`. */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  return traced('split', [x], { splitSize, dim }, () => {
    checkTensors('split', [x]);
    const d = normalizeDim('split', dim, x.ndim);
    const size = x.shape[d]!;
    let sizes: number[];
    if (typeof splitSize === 'number') {
      if (!Number.isInteger(splitSize) || splitSize <= 0) throw new RangeError(`split(): split_size must be a positive integer, got ${splitSize}`);
      sizes = [];
      for (let at = 0; at < size; at += splitSize) sizes.push(Math.min(splitSize, size - at));
      if (sizes.length === 0) sizes.push(0);
    } else {
      sizes = [...splitSize];
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== size) throw new RangeError(`split(): split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=[${sizes.join(', ')}]`);
    }
    let at = 0;
    return sizes.map((s) => {
      const piece = narrow(x, d, at, s);
      at += s;
      return piece;
    });
  });
}

/** `chunks` views of (nearly) equal size along `dim`, like torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  return traced('chunk', [x], { chunks, dim }, () => {
    checkTensors('chunk', [x]);
    if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk(): chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
    const d = normalizeDim('chunk', dim, x.ndim);
    return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
  });
}

/** `t` with `before` zeros ahead of and `after` zeros behind its entries along `d`. */
export function zeroPad(t: Tensor, d: number, before: number, after: number): Tensor {
  if (before === 0 && after === 0) return t;
  const block = (n: number): Tensor[] => (n === 0 ? [] : [zeros(t.shape.map((s, i) => (i === d ? n : s)), { device: t.device, dtype: t.dtype })]);
  return tidy(() => cat([...block(before), t, ...block(after)], d));
}
