/**
 * Batched matrix product with workgroup tiling: a 16x16 workgroup computes a 64x64 output tile,
 * each thread a 4x4 block held in registers, while 64x16 slices of A and 16x64 slices of B are
 * staged through workgroup memory. Operands are read through their strides, so transposed and
 * broadcast (batch stride 0) views need no copies.
 */
import type { View } from '@flint/core';
import type { KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, computeType, load, Params, store } from '../wgsl.ts';

const TILE = 64;
const DEPTH = 16;

function matmulSource(a: View, b: View): string {
  const t = computeType(a.dtype);
  return `${bindings([['out', 'read_write'], ['a', 'read'], ['b', 'read']])}
var<workgroup> As: array<${t}, ${TILE * DEPTH}>;
var<workgroup> Bs: array<${t}, ${TILE * DEPTH}>;
// p: [B, M, K, N, a.offset, a.strides[3], b.offset, b.strides[3]]
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let M = p[1];
  let K = p[2];
  let N = p[3];
  let batch = wg.z;
  let row0 = wg.y * ${TILE}u;
  let col0 = wg.x * ${TILE}u;
  let aBase = p[4] + batch * p[5];
  let bBase = p[8] + batch * p[9];
  var acc: array<${t}, 16>;
  for (var k0 = 0u; k0 < K; k0 += ${DEPTH}u) {
    for (var e = li; e < ${TILE * DEPTH}u; e += 256u) {
      let ar = row0 + e / ${DEPTH}u;
      let ak = k0 + e % ${DEPTH}u;
      var av: ${t} = ${t}(0);
      if (ar < M && ak < K) { av = ${load(a.dtype, 'a', 'aBase + ar * p[6] + ak * p[7]')}; }
      As[e] = av;
      let bk = k0 + e / ${TILE}u;
      let bc = col0 + e % ${TILE}u;
      var bv: ${t} = ${t}(0);
      if (bk < K && bc < N) { bv = ${load(b.dtype, 'b', 'bBase + bk * p[10] + bc * p[11]')}; }
      Bs[e] = bv;
    }
    workgroupBarrier();
    for (var k = 0u; k < ${DEPTH}u; k++) {
      var ar: array<${t}, 4>;
      for (var r = 0u; r < 4u; r++) { ar[r] = As[(lid.y * 4u + r) * ${DEPTH}u + k]; }
      for (var c = 0u; c < 4u; c++) {
        let bv = Bs[k * ${TILE}u + lid.x * 4u + c];
        for (var r = 0u; r < 4u; r++) { acc[r * 4u + c] += ar[r] * bv; }
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y * 4u + r;
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x * 4u + c;
      if (row < M && col < N) { out[(batch * M + row) * N + col] = ${store(a.dtype, 'acc[r * 4u + c]')}; }
    }
  }
}`;
}

/** Batched a [B, M, K] @ b [B, K, N] into a fresh [B, M, N]. */
export function matmul(ctx: KernelContext, a: View, b: View): GpuStorage {
  const [B, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = ctx.output('matmul', B * M * N, a.dtype);
  if (B * M * N === 0) return out;
  // With K = 0 the tile loop never runs and the zero-initialised accumulators are stored.
  const limit = ctx.rt.device.limits.maxComputeWorkgroupsPerDimension;
  if (B > limit) throw new RangeError(`matmul(): a batch of ${B} exceeds this device's ${limit} workgroups per dimension`);
  const params = new Params().push(B, M, K, N).view(a).view(b);
  const kernel = { key: `matmul:${a.dtype}`, source: () => matmulSource(a, b) };
  ctx.rt.dispatch('matmul', kernel, params.toArray(), [out.region, ctx.region(a), ctx.region(b)], [Math.ceil(N / TILE), Math.ceil(M / TILE), B]);
  return out;
}
