/**
 * View chains: an input made as a larger or reordered base tensor and then viewed (transpose,
 * permute, narrow, slicing with a step, expand), so ops meet non-contiguous strides and offsets.
 */
import type * as flint from '@flint/core';
import { expand, narrow, permute, stepSlice, transpose } from './host-tensor.ts';
import type { CaseRandom } from './random.ts';
import type { HostTensor } from './values.ts';

export interface ViewChain {
  /** The shape of the base tensor the view is taken of. */
  readonly baseShape: readonly number[];
  readonly apply: (base: flint.Tensor) => flint.Tensor;
  readonly source: (base: string) => string;
  /** The same view of a host tensor. */
  readonly host: (base: HostTensor) => HostTensor;
}

/**
 * A random chain of one or two views ending at `shape`; `writable` excludes expand (in-place ops
 * reject overlapping elements).
 */
export function randomChain(r: CaseRandom, shape: readonly number[], writable: boolean): ViewChain | undefined {
  const last = randomView(r, shape, writable);
  if (!last || !r.chance(0.3)) return last;
  const first = randomView(r, last.baseShape, writable);
  if (!first) return last;
  return {
    baseShape: first.baseShape,
    apply: (t) => last.apply(first.apply(t)),
    source: (s) => last.source(first.source(s)),
    host: (t) => last.host(first.host(t)),
  };
}

/** One random view ending at `shape`, or none. */
function randomView(r: CaseRandom, shape: readonly number[], writable: boolean): ViewChain | undefined {
  const rank = shape.length;
  const kinds = ['none', 'narrow', 'step', ...(rank >= 2 ? ['transpose', 'permute'] : []), ...(writable ? [] : ['expand'])];
  const kind = r.pick(kinds);
  if (kind === 'none' || rank === 0) return undefined;
  const d = r.int(0, rank - 1);
  if (kind === 'narrow') {
    const base = [...shape];
    base[d] = shape[d]! + 2;
    return { baseShape: base, apply: (t) => t.narrow(d, 1, shape[d]!), source: (s) => `${s}.narrow(${d}, 1, ${shape[d]})`, host: (t) => narrow(t, d, 1, shape[d]!) };
  }
  if (kind === 'step') {
    const base = [...shape];
    base[d] = shape[d]! * 2;
    const spec: flint.IndexSpec[] = [...Array<flint.IndexSpec>(d).fill(':'), [1, null, 2]];
    const specSource = [...Array<string>(d).fill("':'"), '[1, null, 2]'].join(', ');
    return { baseShape: base, apply: (t) => t.index(...spec), source: (s) => `${s}.index(${specSource})`, host: (t) => stepSlice(t, d, 1, 2) };
  }
  if (kind === 'transpose') {
    const e = (d + 1) % rank;
    const base = [...shape];
    [base[d], base[e]] = [shape[e]!, shape[d]!];
    return { baseShape: base, apply: (t) => t.transpose(d, e), source: (s) => `${s}.transpose(${d}, ${e})`, host: (t) => transpose(t, d, e) };
  }
  if (kind === 'permute') {
    const perm = Array.from({ length: rank }, (_, i) => i);
    for (let i = rank - 1; i > 0; i--) {
      const j = r.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const base = new Array<number>(rank);
    perm.forEach((p, i) => (base[p] = shape[i]!));
    return { baseShape: base, apply: (t) => t.permute(perm), source: (s) => `${s}.permute([${perm.join(', ')}])`, host: (t) => permute(t, perm) };
  }
  const base = shape.map((n, i) => (i === d ? 1 : n));
  return { baseShape: base, apply: (t) => t.expand([...shape]), source: (s) => `${s}.expand([${shape.join(', ')}])`, host: (t) => expand(t, shape) };
}
