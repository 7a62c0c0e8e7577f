/** matmul with torch.matmul's broadcasting rules, built on one batched kernel. */
import type { View } from '../backend/types.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { broadcastShapes, numel } from '../tensor/shape.ts';
import { backendOf, record, wrap } from './kernel.ts';
import { expand, reshape, squeeze, transpose, unsqueeze } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';
import { NO_ATTRS, traced } from '../trace/state.ts';

function assertFloat(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw new TypeError(`${op}(): expected both operands to have the same dtype, but got ${a.dtype} and ${b.dtype}`);
  if (a.dtype === 'bool') throw new TypeError(`${op}(): not implemented for 'bool'`);
}

/** A 3-D operand's layout as is; a 2-D one's as a batch of one, without making a tensor for it. */
function batchLayout(t: Tensor): View {
  const layout = t.layout;
  return t.ndim === 3 ? layout : { ...layout, shape: [1, ...layout.shape], strides: [0, ...layout.strides] };
}

/** [M, K] @ [K, N], or [B, M, K] @ [B, K, N]: the one kernel everything here lowers to. */
function product(a: Tensor, b: Tensor): Tensor {
  const backend = backendOf('matmul', a, b);
  const shape = [...a.shape.slice(0, -1), b.shape[b.ndim - 1]!];
  const out = wrap(backend, backend.matmul(batchLayout(a), batchLayout(b)), shape, a.dtype);
  return record(a.ndim === 3 ? 'BmmBackward' : 'MmBackward', out, [a, b], [a, b], (g) => [
    a.requiresGrad ? product(g, transpose(b, -2, -1)) : null,
    b.requiresGrad ? product(transpose(a, -2, -1), g) : null,
  ]);
}

/** 2-D matrix product; errors like PyTorch's mm. */
export function mm(a: Tensor, b: Tensor): Tensor {
  return traced('mm', [a, b], NO_ATTRS, () => {
    backendOf('mm', a, b);
    if (a.ndim !== 2) throw new RangeError(`mm(): self must be a matrix, got a ${a.ndim}-D tensor`);
    if (b.ndim !== 2) throw new RangeError(`mm(): mat2 must be a matrix, got a ${b.ndim}-D tensor`);
    return matmul2(a, b);
  });
}

function matmul2(a: Tensor, b: Tensor): Tensor {
  assertFloat('mm', a, b);
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  return product(a, b);
}

/** Batched product of 3-D tensors with equal batch sizes. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  return traced('bmm', [a, b], NO_ATTRS, () => {
    backendOf('bmm', a, b);
    assertFloat('bmm', a, b);
    if (a.ndim !== 3) throw new RangeError(`bmm(): batch1 must be a 3D tensor, got ${a.ndim}-D`);
    if (b.ndim !== 3) throw new RangeError(`bmm(): batch2 must be a 3D tensor, got ${b.ndim}-D`);
    if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
      throw new RangeError(`bmm(): Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
    }
    return product(a, b);
  });
}

/**
 * Matrix product with torch.matmul's rules: 1-D operands are promoted to a row or a column and the
 * added dim removed; batch dims broadcast.
 * @example flint.matmul(x, w.T) // [64, 784] @ [784, 10]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return traced('matmul', [a, b], NO_ATTRS, () => {
    checkTensors('matmul', [a, b]);
    // The common Linear case needs no reshaping, so no scope either.
    if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
    return tidy(() => matmulScoped(a, b));
  });
}

function matmulScoped(a: Tensor, b: Tensor): Tensor {
  backendOf('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) throw new RangeError(`matmul(): both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  assertFloat('matmul', a, b);
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.size !== b.size) throw new RangeError(`dot(): inconsistent tensor size, expected tensor [${a.size}] and src [${b.size}] to have the same number of elements, but got ${a.size} and ${b.size} elements respectively`);
    return reshape(matmul2(unsqueeze(a, 0), unsqueeze(b, 1)), []);
  }
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const m = a2.shape[a2.ndim - 2]!;
  const k = a2.shape[a2.ndim - 1]!;
  const k2 = b2.shape[b2.ndim - 2]!;
  const n = b2.shape[b2.ndim - 1]!;
  if (k !== k2) {
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${numel(a2.shape.slice(0, -1))}x${k} and ${k2}x${n})`);
  }
  let out: Tensor;
  if (b2.ndim === 2) {
    // Fold a's batch dims into its rows: one large product instead of a batch of small ones.
    // Rows counted explicitly: with k == 0, -1 could not be inferred.
    out = reshape(product(reshape(a2, [numel(a2.shape.slice(0, -1)), k]), b2), [...a2.shape.slice(0, -1), n]);
  } else {
    const batch = broadcastShapes('matmul', a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    const count = numel(batch);
    const a3 = reshape(expand(a2, [...batch, m, k]), [count, m, k]);
    const b3 = reshape(expand(b2, [...batch, k, n]), [count, k, n]);
    out = reshape(product(a3, b3), [...batch, m, n]);
  }
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}
