/**
 * Einstein summation and tensordot, composed from diagonal views, sums, broadcasting and batched
 * matmul: each pair of operands is contracted as one [batch, m, k] @ [batch, k, n] product.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { formatShape, normalizeDim } from '../tensor/shape.ts';
import { matmul } from './linalg.ts';
import { sum } from './reduce.ts';
import { diagonal, expand, permute, reshape } from './view.ts';
import { tidy } from '../memory/scope.ts';
import { checkTensors } from './broadcast.ts';

/** An operand with one label per dim (ellipsis dims get labels of their own, after the letters). */
interface Labelled {
  t: Tensor;
  labels: number[];
}

const LETTER = /^[a-zA-Z]$/;
/** The label of the k-th common ellipsis dim: negative, so it never meets a letter's char code. */
const ellipsisLabel = (k: number): number => -1 - k;

function parseTerm(term: string, rank: number, which: string): { labels: number[]; ellipsis: number } {
  const parts = term.split('...');
  if (parts.length > 2) throw new RangeError(`einsum(): found more than one ellipsis ("...") in ${which}`);
  const letters = (s: string): number[] =>
    [...s].map((ch) => {
      if (!LETTER.test(ch)) throw new RangeError(`einsum(): invalid subscript given at index of '${ch}' in the equation string, subscripts must be in [a-zA-Z]`);
      return ch.charCodeAt(0);
    });
  const before = letters(parts[0]!);
  const after = parts.length === 2 ? letters(parts[1]!) : [];
  const ellipsis = parts.length === 2 ? rank - before.length - after.length : 0;
  if (ellipsis < 0 || (parts.length === 1 && before.length !== rank)) {
    throw new RangeError(`einsum(): the number of subscripts in the equation (${before.length + after.length}) does not match the number of dimensions (${rank}) for ${which}${parts.length === 2 ? ' and ellipsis' : ' and no ellipsis was given'}`);
  }
  return { labels: [...before, ...Array.from({ length: ellipsis }, (_, i) => -1 - i), ...after], ellipsis };
}

/** Sums `labels` away from `x` after taking diagonals of repeated labels. */
function simplify(op: Labelled, keep: (label: number) => boolean): Labelled {
  let { t, labels } = op;
  for (let i = 0; i < labels.length; i++) {
    const j = labels.indexOf(labels[i]!, i + 1);
    if (j < 0) continue;
    if (t.shape[i] !== t.shape[j]) throw new RangeError(`einsum(): subscript ${String.fromCharCode(labels[i]!)} is repeated for operand but the sizes don't match, ${t.shape[i]} != ${t.shape[j]}`);
    t = diagonal(t, 0, i, j);
    labels = [...labels.filter((_, k) => k !== i && k !== j), labels[i]!];
    i = -1;
  }
  const drop = labels.map((l, i) => (keep(l) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length > 0) {
    t = sum(t, drop);
    labels = labels.filter((_, i) => !drop.includes(i));
  }
  return { t, labels };
}

/** Contracts `a` and `b` over the labels neither the output nor a later operand needs. */
function contract(a: Labelled, b: Labelled, needed: ReadonlySet<number>, sizes: ReadonlyMap<number, number>): Labelled {
  const inB = new Set(b.labels);
  const batch = a.labels.filter((l) => inB.has(l) && needed.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !needed.has(l));
  const aOnly = a.labels.filter((l) => !inB.has(l));
  const bOnly = b.labels.filter((l) => !a.labels.includes(l));
  const arrange = (x: Labelled, order: number[]): Tensor => {
    const moved = permute(x.t, order.map((l) => x.labels.indexOf(l)));
    return expand(moved, order.map((l) => sizes.get(l)!));
  };
  const size = (ls: number[]): number => ls.reduce((p, l) => p * sizes.get(l)!, 1);
  const left = reshape(arrange(a, [...batch, ...aOnly, ...summed]), [size(batch), size(aOnly), size(summed)]);
  const right = reshape(arrange(b, [...batch, ...summed, ...bOnly]), [size(batch), size(summed), size(bOnly)]);
  const out = reshape(matmul(left, right), [...batch, ...aOnly, ...bOnly].map((l) => sizes.get(l)!));
  return { t: out, labels: [...batch, ...aOnly, ...bOnly] };
}

/**
 * Sums products of `operands` over the indices the `equation` names, as numpy/PyTorch's einsum:
 * `'ij,jk->ik'` is a matrix product, `'bhqd,bhkd->bhqk'` attention scores, `'ii->i'` a diagonal,
 * `'...ij->...ji'` a batched transpose. Without `->`, the output is the labels used once, sorted.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? (eq.split('->') as [string, string]) : [eq, undefined];
  const terms = lhs.split(',');
  if (terms.length !== operands.length) throw new RangeError(`einsum(): ${terms.length} operands were specified in the equation but ${operands.length} were given`);
  operands.forEach((t) => t.assertAlive('einsum'));
  const parsed = terms.map((term, i) => parseTerm(term, operands[i]!.ndim, `operand ${i}`));
  const ellipsisRank = Math.max(0, ...parsed.map((p) => p.ellipsis));
  // Ellipsis dims broadcast right-aligned: an operand's k-th ellipsis dim of e is the common
  // ellipsis dim ellipsisRank - e + k.
  const labelled: Labelled[] = parsed.map((p, i) => ({
    t: operands[i]!,
    labels: p.labels.map((l) => (l < 0 ? ellipsisLabel(ellipsisRank - p.ellipsis + (-l - 1)) : l)),
  }));
  const sizes = new Map<number, number>();
  labelled.forEach(({ t, labels }, i) =>
    labels.forEach((l, d) => {
      const s = t.shape[d]!;
      const known = sizes.get(l);
      if (known !== undefined && known !== s && known !== 1 && s !== 1) {
        const name = l < 0 ? 'ellipsis' : `subscript ${String.fromCharCode(l)}`;
        throw new RangeError(`einsum(): operands do not broadcast with remapped shapes (original->remapped): ${name} has size ${s} for operand ${i}, which does not broadcast with previously seen size ${known}`);
      }
      if (known === undefined || known === 1) sizes.set(l, s);
    }),
  );
  const ellipsisLabels = Array.from({ length: ellipsisRank }, (_, k) => ellipsisLabel(k));
  const counts = new Map<number, number>();
  labelled.forEach(({ labels }) => labels.forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1)));
  const output = rhs === undefined
    ? [...ellipsisLabels, ...[...counts.keys()].filter((l) => l >= 0 && counts.get(l) === 1).sort((a, b) => a - b)]
    : outputLabels(rhs, ellipsisLabels, counts);
  return tidy(() => {
    const remaining = labelled.map((op, i) => {
      const elsewhere = new Set([...output, ...labelled.filter((_, j) => j !== i).flatMap((o) => o.labels)]);
      return simplify(op, (l) => elsewhere.has(l));
    });
    let acc = remaining[0]!;
    for (let i = 1; i < remaining.length; i++) {
      const needed = new Set([...output, ...remaining.slice(i + 1).flatMap((o) => o.labels)]);
      acc = contract(acc, remaining[i]!, needed, sizes);
    }
    acc = simplify(acc, (l) => output.includes(l));
    const order = output.map((l) => acc.labels.indexOf(l));
    return expand(permute(acc.t, order), output.map((l) => sizes.get(l)!));
  });
}

function outputLabels(rhs: string, ellipsisLabels: number[], counts: ReadonlyMap<number, number>): number[] {
  const parts = rhs.split('...');
  if (parts.length > 2) throw new RangeError('einsum(): found more than one ellipsis ("...") in the output');
  const letters = (s: string): number[] =>
    [...s].map((ch) => {
      const l = ch.charCodeAt(0);
      if (!LETTER.test(ch)) throw new RangeError(`einsum(): invalid subscript given at index of '${ch}' in the equation string, subscripts must be in [a-zA-Z]`);
      if (!counts.has(l)) throw new RangeError(`einsum(): output subscript ${ch} does not appear in the equation for any input operand`);
      return l;
    });
  const out = parts.length === 2 ? [...letters(parts[0]!), ...ellipsisLabels, ...letters(parts[1]!)] : letters(parts[0]!);
  const seen = new Set<number>();
  for (const l of out) {
    if (l >= 0 && seen.has(l)) throw new RangeError(`einsum(): output subscript ${String.fromCharCode(l)} appears more than once in the output`);
    seen.add(l);
  }
  return out;
}

/**
 * Contracts the last `dims` dims of `a` with the first `dims` of `b`, or the listed dims pairwise.
 * @example flint.tensordot(a, b, [[1, 0], [0, 1]])
 */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[], readonly number[]] = 2): Tensor {
  checkTensors('tensordot', [a, b]);
  a.assertAlive('tensordot');
  b.assertAlive('tensordot');
  const [da, db] = typeof dims === 'number'
    ? [Array.from({ length: dims }, (_, i) => a.ndim - dims + i), Array.from({ length: dims }, (_, i) => i)]
    : [dims[0].map((d) => normalizeDim('tensordot', d, a.ndim)), dims[1].map((d) => normalizeDim('tensordot', d, b.ndim))];
  if (da.length !== db.length || da.some((d) => d < 0) || db.some((d) => d >= b.ndim)) throw new RangeError('tensordot(): both dimension lists should have same length');
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]!]) throw new RangeError(`tensordot(): contracted dimensions need to match, but first has size ${a.shape[d]} in dim ${d} and second has size ${b.shape[db[i]!]} in dim ${db[i]} (shapes ${formatShape(a.shape)} and ${formatShape(b.shape)})`);
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const k = da.reduce((p, d) => p * a.shape[d]!, 1);
  return tidy(() => {
    const left = reshape(permute(a, [...freeA, ...da]), [-1, k]);
    const right = reshape(permute(b, [...db, ...freeB]), [k, -1]);
    return reshape(matmul(left, right), [...freeA.map((d) => a.shape[d]!), ...freeB.map((d) => b.shape[d]!)]);
  });
}
