/** In-place updates: compute out of place, then write into the destination's storage. */
import type { ArithmeticOp } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { promoteTypes } from '../tensor/dtype.ts';
import { broadcastShapes, formatShape, numel, shapeEquals } from '../tensor/shape.ts';
import { isGradEnabled } from '../autograd/mode.ts';
import { keep } from '../memory/scope.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { asOperands, broadcastLayout, shapeOf } from './broadcast.ts';
import { castTo } from './cast.ts';
import { resultDType, scaled, sumTo } from './elementwise.ts';

function assertWritable(op: string, self: Tensor, recordsGraph: boolean): void {
  self.assertAlive(op);
  // An empty tensor has no elements to share a location (its zero strides are only arithmetic).
  if (numel(self.shape) > 0 && self.shape.some((d, i) => d > 1 && self.strides[i] === 0)) {
    throw new Error(`${op}(): unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.`);
  }
  if (recordsGraph && self.isLeaf && self.requiresGrad) {
    throw new Error(`${op}(): a leaf Variable that requires grad is being used in an in-place operation. Wrap the update in flint.noGrad().`);
  }
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
 * Makes `self` hold `result` (an op's fresh output computed from `self`), taking over its graph
 * node so gradients flow through the in-place op as through the out-of-place one.
 */
export function assign<T extends Tensor>(self: T, result: Tensor, op: string): T {
  const recordsGraph = isGradEnabled() && result.requiresGrad;
  try {
    assertWritable(op, self, recordsGraph);
    if (!shapeEquals(result.shape, self.shape)) {
      throw new RangeError(`${op}(): output with shape ${formatShape(self.shape)} doesn't match the broadcast shape ${formatShape(result.shape)}`);
    }
    write(op, self, result);
  } catch (err) {
    result.dispose();
    throw err;
  }
  const node = result.gradFn;
  if (recordsGraph && node) {
    self.setGradFn(node);
    // The node may read its own output in backward; it now owns that tensor.
    if (node.saved.includes(result)) node.owned.push(keep(result));
    else result.dispose();
  } else result.dispose();
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
export function update_<T extends Tensor>(self: T, op: ArithmeticOp, other: TensorLike, alpha: number, name: string, outOfPlace: () => Tensor): T {
  const backend = backendOf(name, self, other);
  const direct =
    !(isGradEnabled() && (self.requiresGrad || (other instanceof Tensor && other.requiresGrad))) &&
    resultDType(op, self, other) === self.dtype &&
    (alpha === 1 || self.dtype === 'float32') &&
    shapeEquals(broadcastShapes(name, self.shape, shapeOf(other)), self.shape) &&
    !overlapsPartly(self, other);
  if (!direct) return assign(self, outOfPlace(), name);
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
  const recordsGraph = isGradEnabled() && src.requiresGrad;
  assertWritable('copy_', self, recordsGraph);
  if (src.ndim > self.ndim || src.shape.some((d, i) => d !== 1 && d !== self.shape[self.ndim - src.ndim + i])) {
    throw new RangeError(`copy_(): The size of tensor a (${formatShape(self.shape)}) must match the size of tensor b (${formatShape(src.shape)})`);
  }
  write('copy_', self, src, true);
  if (recordsGraph) record('CopyBackwards', self, [src], [], (g) => [sumTo(g, src.shape)]);
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
  const filled = wrap(backend, backend.fill(numel(self.shape), value, self.dtype), self.shape, self.dtype);
  backend.copy(filled.layout, self.layout);
  filled.dispose();
  self.ref.version++;
  return self;
}
