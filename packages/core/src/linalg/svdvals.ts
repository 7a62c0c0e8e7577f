/**
 * Singular values by one-sided (Hestenes) Jacobi, composed from tensor ops so that it runs on every
 * backend without reading values back. Each round rotates n/2 disjoint column pairs of A (a
 * round-robin tournament visits every pair once a sweep) until the columns are orthogonal; then the
 * column norms are the singular values, the normalised columns U and the accumulated rotations V.
 * Working on A itself rather than on AᵀA keeps small singular values accurate.
 *
 * The iteration runs without gradient. The values returned are diag(Uᵀ A V) with U and V held
 * constant, which equals the singular values to rounding and has their exact gradient u_i v_iᵀ.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { eye, tensor, zeros } from '../ops/creation.ts';
import { abs, add, div, mul, rsqrt, sign, sqrt, sub, where } from '../ops/elementwise.ts';
import { eq } from '../ops/compare.ts';
import { sum } from '../ops/reduce.ts';
import { indexSelect } from '../ops/indexing.ts';
import { cat } from '../ops/join.ts';
import { matmul } from '../ops/linalg.ts';
import { diagonal } from '../ops/view.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';

/** Sweeps over all column pairs: Jacobi converges quadratically, so float32 needs far fewer. */
const SWEEPS = 12;

/** The rounds of a round-robin over `n` columns (n even): each round's pairs as [firsts, seconds]. */
function tournament(n: number): Array<[number[], number[]]> {
  const players = Array.from({ length: n }, (_, i) => i);
  const rounds: Array<[number[], number[]]> = [];
  for (let r = 0; r < n - 1; r++) {
    const firsts: number[] = [];
    const seconds: number[] = [];
    for (let k = 0; k < n / 2; k++) {
      firsts.push(players[k]!);
      seconds.push(players[n - 1 - k]!);
    }
    rounds.push([firsts, seconds]);
    // Player 0 stays; the others move one seat round.
    players.splice(1, 0, players.pop()!);
  }
  return rounds;
}

/** One Jacobi rotation of each column pair (p, q) of `a` and `v`, zeroing the pair's inner product. */
function rotate(a: Tensor, v: Tensor, p: Tensor, q: Tensor, inverse: Tensor): [Tensor, Tensor] {
  const [ap, aq] = [indexSelect(a, -1, p), indexSelect(a, -1, q)];
  const alpha = sum(mul(ap, ap), -2, true);
  const beta = sum(mul(aq, aq), -2, true);
  const gamma = sum(mul(ap, aq), -2, true);
  const zeta = div(sub(beta, alpha), mul(gamma, 2));
  // The smaller root of t² + 2ζt - 1 = 0; sign(0) counts as +1.
  const s0 = where(eq(zeta, 0), 1, sign(zeta));
  const t = where(eq(gamma, 0), 0, div(s0, add(abs(zeta), sqrt(add(mul(zeta, zeta), 1)))));
  const c = rsqrt(add(mul(t, t), 1));
  const s = mul(c, t);
  const turn = (x: Tensor): Tensor => {
    const [xp, xq] = [indexSelect(x, -1, p), indexSelect(x, -1, q)];
    const rotated = cat([sub(mul(c, xp), mul(s, xq)), add(mul(s, xp), mul(c, xq))], -1);
    return indexSelect(rotated, -1, inverse);
  };
  return [turn(a), turn(v)];
}

/** U (normalised columns, zero where a column vanished) and V of the Jacobi iteration on `a` [..., m, n], m >= n. */
function jacobi(a: Tensor): [Tensor, Tensor] {
  const n = a.shape.at(-1)!;
  const device = { device: a.device };
  // An odd count gets a zero column, which rotates with nothing, so every round pairs all columns.
  const even = n % 2 === 0 ? n : n + 1;
  let work = even === n ? a : cat([a, mul(indexSelect(a, -1, tensor([0], { dtype: 'int32', ...device })), 0)], -1);
  let v = eye(even, even, device).expand([...a.shape.slice(0, -2), even, even]);
  const rounds = tournament(even).map(([firsts, seconds]) => {
    const order = [...firsts, ...seconds];
    const inverse = new Array<number>(even);
    order.forEach((column, at) => (inverse[column] = at));
    const int32 = (xs: number[]): Tensor => tensor(xs, { dtype: 'int32', ...device });
    return [int32(firsts), int32(seconds), int32(inverse)] as const;
  });
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (const [p, q, inverse] of rounds) {
      [work, v] = tidy(() => rotate(work, v, p, q, inverse));
    }
  }
  const keep = tensor(Array.from({ length: n }, (_, i) => i), { dtype: 'int32', ...device });
  const norms = sqrt(sum(mul(work, work), -2, true));
  const u = where(eq(norms, 0), 0, div(work, norms));
  // Rows of V past n belong to the padding column; only the first n rows matter for A's columns.
  return [indexSelect(u, -1, keep), indexSelect(indexSelect(v, -2, keep), -1, keep)];
}

/**
 * The singular values of each matrix in the last two dims of `a`, in descending order, as
 * torch.linalg.svdvals. Its gradient is exact where the singular values are distinct; a second
 * derivative through it holds the singular vectors constant, so it is not the true Hessian.
 * @example flint.linalg.svdvals(flint.tensor([[3, 0], [0, -4]], { dtype: 'float32' })) // [4, 3]
 */
export function svdvals(a: Tensor): Tensor {
  a.assertAlive('linalg.svdvals');
  if (a.dtype !== 'float32') throw new TypeError(`linalg.svdvals(): Expected a floating point tensor as input. Got ${a.dtype}`);
  if (a.ndim < 2) throw new RangeError(`linalg.svdvals(): The input tensor A must have at least 2 dimensions.`);
  return tidy(() => {
    // Columns no more than rows: the transpose has the same singular values.
    const tall = a.shape.at(-2)! >= a.shape.at(-1)! ? a : a.mT;
    if (tall.shape.at(-1) === 0) return zeros([...tall.shape.slice(0, -2), 0], { device: a.device });
    const [u, v] = noGrad(() => jacobi(tall));
    const values = diagonal(matmul(matmul(u.mT, tall), v), 0, -2, -1);
    return sortDescending(values);
  });
}

/** `x` sorted descending along its last dim (differentiably, through the gather of sort). */
function sortDescending(x: Tensor): Tensor {
  return x.sort({ dim: -1, descending: true }).values;
}
