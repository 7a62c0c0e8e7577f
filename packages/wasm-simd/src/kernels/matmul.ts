import type { Storage, View } from '@flint/core';
import type { Runtime } from '../runtime.ts';

/** Batched matrix product of a [B, M, K] and b [B, K, N] (any strides) into [B, M, N]. */
export function matmul(rt: Runtime, a: View, b: View): Storage {
  const [batch, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = rt.output([batch, M, N], a.dtype);
  const A = rt.storage(a).ptr + a.offset * 4;
  const B = rt.storage(b).ptr + b.offset * 4;
  const [aB, aR, aC] = a.strides as [number, number, number];
  const [bB, bR, bC] = b.strides as [number, number, number];
  if (a.dtype === 'int32') rt.k.matmulInt(batch, M, K, N, A, aB, aR, aC, B, bB, bR, bC, out.storage.ptr);
  else rt.gemm(batch, M, K, N, A, aB, aR, aC, B, bB, bR, bC, out.storage.ptr, 0);
  return out.storage;
}
