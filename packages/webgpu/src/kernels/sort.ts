/**
 * Sorting along the last axis: a bitonic network over each line padded to a power of two, one
 * dispatch per compare-exchange stage (log2(P) (log2(P) + 1) / 2 of them), on (key, position)
 * pairs. The comparison is a strict total order (padding last, then NaN last or first, then the
 * key, then the position), so the network's result is the unique stable order.
 */
import { numel, type DType, type Storage, type View } from '@flint/core';
import type { KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, computeType, ELEMENT_MAIN, load, withLibrary } from '../wgsl.ts';

/** `before(a, b)`: whether pair a comes strictly before pair b; positions >= p[2] are padding. */
function beforeSource(t: 'f32' | 'i32', descending: boolean): string {
  const nan = t === 'f32'
    ? `  let nanA = isNan(ka);
  let nanB = isNan(kb);
  if (nanA != nanB) { return ${descending ? 'nanA' : 'nanB'}; }
  if (nanA) { return ia < ib; }\n`
    : '';
  return `fn before(ka: ${t}, ia: u32, kb: ${t}, ib: u32) -> bool {
  let padA = ia >= p[2];
  let padB = ib >= p[2];
  if (padA != padB) { return padB; }
  if (padA) { return ia < ib; }
${nan}  if (ka != kb) { return ka ${descending ? '>' : '<'} kb; }
  return ia < ib;
}`;
}

/** Params: [lines * P, P, n, x.offset]. Lays each line out padded to P with its positions. */
function loadSource(): string {
  return withLibrary(`${bindings([['keys', 'read_write'], ['pos', 'read_write'], ['x', 'read']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let j = i % p[1];
  pos[i] = j;
  keys[i] = select(0u, x[p[3] + (i / p[1]) * p[2] + j], j < p[2]);
}`);
}

/** Params: [lines * P, P, n, k, j]. One compare-exchange of the pairs j apart in blocks of k. */
function stageSource(dtype: DType, descending: boolean): string {
  const t = computeType(dtype);
  const key = (at: string): string => (dtype === 'bool' ? `i32(keys[${at}])` : load(dtype, 'keys', at));
  return withLibrary(`${bindings([['keys', 'read_write'], ['pos', 'read_write']])}
${beforeSource(t, descending)}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let partner = i ^ p[4];
  if (partner <= i) { return; }
  let rising = ((i % p[1]) & p[3]) == 0u;
  let swap = select(before(${key('i')}, pos[i], ${key('partner')}, pos[partner]), before(${key('partner')}, pos[partner], ${key('i')}, pos[i]), rising);
  if (swap) {
    let k = keys[i];
    keys[i] = keys[partner];
    keys[partner] = k;
    let q = pos[i];
    pos[i] = pos[partner];
    pos[partner] = q;
  }
}`);
}

/** Params: [lines * n, P, n]. Copies each line's first n pairs out. */
const storeSource = (): string =>
  withLibrary(`${bindings([['values', 'read_write'], ['indices', 'read_write'], ['keys', 'read'], ['pos', 'read']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let at = (i / p[2]) * p[1] + i % p[2];
  values[i] = keys[at];
  indices[i] = pos[at];
}`);

/** Sorts each line along the last axis of the contiguous `x` (see Backend.sort). */
export function sort(ctx: KernelContext, x: View, descending: boolean): { values: Storage; indices: Storage } {
  const total = numel(x.shape);
  const n = x.shape[x.shape.length - 1] ?? 1;
  const values = ctx.output('sort', total, x.dtype);
  const indices = ctx.output('sort', total, 'int32');
  if (total === 0) return { values, indices };
  const lines = total / n;
  const padded = 2 ** Math.ceil(Math.log2(n));
  const keys: GpuStorage = ctx.output('sort', lines * padded, 'int32');
  const pos: GpuStorage = ctx.output('sort', lines * padded, 'int32');
  const slots = lines * padded;
  ctx.run('sort', { key: 'sort-load', source: loadSource }, Uint32Array.of(slots, padded, n, x.offset), [keys.region, pos.region, ctx.region(x)], slots);
  const stage = { key: `sort-stage:${x.dtype}:${descending}`, source: () => stageSource(x.dtype, descending) };
  for (let k = 2; k <= padded; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) ctx.run('sort', stage, Uint32Array.of(slots, padded, n, k, j), [keys.region, pos.region], slots);
  }
  ctx.run('sort', { key: 'sort-store', source: storeSource }, Uint32Array.of(total, padded, n), [values.region, indices.region, keys.region, pos.region], total);
  ctx.storages.free(keys);
  ctx.storages.free(pos);
  return { values, indices };
}
