/** In-place updates: compute out of place, then write into the destination's storage. */
import type { ArithmeticOp } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { assertConvertible, promoteTypes } from '../tensor/dtype.ts';
import { formatShape, numel, shapeEquals } from '../tensor/shape.ts';
import { isGradEnabled } from '../autograd/mode.ts';
import { keep } from '../memory/scope.ts';
import { backendOf, graphNode, needsGrad, wrap } from './kernel.ts';
import type { Node } from '../autograd/node.ts';
import { zerosLike } from './creation.ts';
import { asOperands, broadcastLayout, broadcastOperands } from './broadcast.ts';
import { castTo } from './cast.ts';
import { resultDType, scaled, sumTo } from './elementwise.ts';
import { clone } from './view.ts';

function assertWritable(op: string, self: Tensor, recordsGraph: boolean): void {
  self.assertAlive(op);
  // An empty tensor has no elements to share a location (its zero strides are only arithmetic).
  if (numel(self.shape) > 0 && self.shape.some((d, i) => d > 1 && self.strides[i] === 0)) {
    throw new Error(`${op}(): unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.`);
  }
  if (recordsGraph && self.isLeaf && self.requiresGrad) {
    throw new Error(`${op}(): a leaf Variable that requires grad is being used in an in-place operation. Wrap the update in flint.noGrad().`);
  }
  const group = self.viewGroup;
  if (recordsGraph && group && group.base !== self && group.node === null && group.base.requiresGrad) {
    throw new Error(`${op}(): a view of a leaf Variable that requires grad is being used in an in-place operation. Clone the leaf first, or wrap the update in flint.noGrad().`);
  }
}

/** Makes `node` the history of `self`'s new values; a view's write becomes part of its base's history. */
function rewriteHistory(self: Tensor, node: Node): void {
  const group = self.viewGroup;
  if (group && group.base !== self) group.copySlices(self, node);
  else self.setGradFn(node);
}

/** Writes `src` (broadcastable; any dtype when `anyCast`) into `self` and bumps its version. */
function write(op: string, self: Tensor, src: Tensor, anyCast = false): void {
  if (!anyCast && promoteTypes(src.dtype, self.dtype) !== self.dtype) {
    throw new TypeError(`${op}(): result type ${src.dtype} can't be cast to the desired output type ${self.dtype}`);
  }
  const value = src.dtype === self.dtype ? src : castTo(src, self.dtype);
  self.backend.copy(broadcastLayout(value, self.shape), self.layout);
  if (value !== src) value.dispose();
  self.ref.version++;
}

/**
 * Hands an in-place op's out-of-place computation its operands. When autograd records an op whose
 * backward reads its operands, an operand that shares `self`'s storage is copied first, since the write would
 * overwrite what the backward saved (`x.mul_(w)` needs the old `x` for `w`'s gradient).
 */
export type Operands = <V extends TensorLike | null | undefined>(operand: V) => V;

/**
 * Makes `self` hold what `compute` returns (an op's fresh output computed from `self`), taking
 * over its graph node so gradients flow through the in-place op as through the out-of-place one.
 */
export function assign<T extends Tensor>(self: T, op: string, compute: (operand: Operands) => Tensor, backwardReadsOperands: boolean): T {
  self.assertAlive(op);
  const copies: Tensor[] = [];
  const operand: Operands = (v) => {
    if (!backwardReadsOperands || !(v instanceof Tensor) || v.ref !== self.ref) return v;
    const copy = clone(v);
    copies.push(copy);
    return copy as typeof v;
  };
  let result: Tensor;
  try {
    result = compute(operand);
  } catch (err) {
    for (const t of copies) t.dispose();
    throw err;
  }
  const recordsGraph = isGradEnabled() && result.requiresGrad;
  try {
    assertWritable(op, self, recordsGraph);
    if (!shapeEquals(result.shape, self.shape)) {
      throw new RangeError(`${op}(): output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(result.shape)}`);
    }
    write(op, self, result);
  } catch (err) {
    for (const t of [result, ...copies]) t.dispose();
    throw err;
  }
  const node = recordsGraph ? result.gradFn : null;
  if (node) rewriteHistory(self, node);
  // The node may read its output or the operand copies in backward; it now owns those.
  for (const t of [result, ...copies]) {
    if (node?.saved.includes(t)) node.owned.push(keep(t));
    else t.dispose();
  }
  return self;
}

/** Whether `other` reads memory that `self` writes, other than element for element. */
function overlapsPartly(self: Tensor, other: TensorLike): boolean {
  if (!(other instanceof Tensor) || other.ref !== self.ref) return false;
  return other.offset !== self.offset || !shapeEquals(other.shape, self.shape) || !shapeEquals(other.strides, self.strides);
}

/**
 * `self = self op alpha * other`. When no graph needs recording, the result keeps self's dtype
 * and shape, and other does not partly overlap self, one kernel writes straight into self's
 * storage; otherwise `outOfPlace()` computes it and {@link assign} writes it back.
 */
export function update_<T extends Tensor>(self: T, op: ArithmeticOp, other: TensorLike, alpha: number, name: string, outOfPlace: (operand: Operands) => Tensor): T {
  const backend = backendOf(name, self, other);
  const direct =
    !(isGradEnabled() && (self.requiresGrad || (other instanceof Tensor && other.requiresGrad))) &&
    resultDType(op, self, other) === self.dtype &&
    (alpha === 1 || self.dtype === 'float32') &&
    shapeEquals(broadcastOperands(name, [self, other]), self.shape) &&
    !overlapsPartly(self, other);
  if (!direct) return assign(self, name, outOfPlace, op !== 'add' && op !== 'sub' && needsGrad(self, other));
  assertWritable(name, self, false);
  const operand = alpha === 1 ? other : scaled(other, alpha);
  const { operands, temps } = asOperands(self.dtype, self.shape, [operand]);
  backend.binary(op, self.layout, operands[0]!, self.layout);
  for (const t of temps) t.dispose();
  if (operand instanceof Tensor && operand !== other) operand.dispose();
  self.ref.version++;
  return self;
}

/**
 * Runs `kernel`, which writes straight into the storages of `targets` (a backend's fused update,
 * recording no graph), behind the same checks and version bumps as every in-place op.
 */
export function writeInPlace(op: string, targets: readonly Tensor[], kernel: () => void): void {
  for (const t of targets) assertWritable(op, t, false);
  kernel();
  for (const t of targets) t.ref.version++;
}

/** Copies `src`, broadcast to `self`'s shape and cast to its dtype, into `self`. */
export function copy_<T extends Tensor>(self: T, src: Tensor): T {
  backendOf('copy_', self, src);
  // Overwriting values that have history cuts it, even when src has none.
  const recordsGraph = isGradEnabled() && (src.requiresGrad || self.requiresGrad);
  assertWritable('copy_', self, recordsGraph);
  if (src.ndim > self.ndim || src.shape.some((d, i) => d !== 1 && d !== self.shape[self.ndim - src.ndim + i])) {
    throw new RangeError(`copy_(): The size of tensor a (${formatShape(self.shape)}) must match the size of tensor b (${formatShape(src.shape)})`);
  }
  write('copy_', self, src, true);
  if (recordsGraph) rewriteHistory(self, graphNode('CopyBackwards', [self, src], [], (g) => [zerosLike(g), sumTo(g, src.shape)]));
  return self;
}

/** Sets every element of `self` to `value`. */
export function fill_<T extends Tensor>(self: T, value: number): T {
  assertWritable('fill_', self, false);
  if (isGradEnabled() && self.requiresGrad && !self.isLeaf) {
    throw new Error('fill_(): cannot fill a tensor that is part of an autograd graph in place; use flint.fullLike() or detach() first.');
  }
  if (isGradEnabled() && self.requiresGrad) {
    throw new Error('fill_(): a leaf Variable that requires grad is being used in an in-place operation. Wrap the update in flint.noGrad().');
  }
  const backend = backendOf('fill_', self);
  assertConvertible('fill_', value, self.dtype);
  const filled = wrap(backend, backend.fill(numel(self.shape), value, self.dtype), self.shape, self.dtype);
  backend.copy(filled.layout, self.layout);
  filled.dispose();
  self.ref.version++;
  return self;
}
