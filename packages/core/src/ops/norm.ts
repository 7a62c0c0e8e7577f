/** Vector and matrix norms, distances and normalisation, as torch.linalg and torch.nn.functional. */
import type { Tensor } from '../tensor/tensor.ts';
import { normalizeDim, normalizeDims } from '../tensor/shape.ts';
import { abs, clamp, div, mul, pow, sqrt, sub, where } from './elementwise.ts';
import { eq, ne } from './compare.ts';
import { amax, amin, sum } from './reduce.ts';
import { reshape, squeeze, unsqueeze } from './view.ts';
import { castTo } from './cast.ts';
import { composed } from './composed.ts';
import { tidy } from '../memory/scope.ts';
import { zerosLike } from './creation.ts';
import { movedim } from './shape.ts';
import { svdvals } from '../linalg/svdvals.ts';
import { checkTensors } from './broadcast.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

/** A norm's order: a number (Infinity and -Infinity included), or 'fro' / 'nuc' for matrices. */
export type NormOrder = number | 'fro' | 'nuc';

function assertFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32') throw new TypeError(`${op}(): Expected a floating point tensor as input. Got ${x.dtype}`);
}

const keptShape = (shape: readonly number[], dims: readonly number[]): number[] => shape.map((d, i) => (dims.includes(i) ? 1 : d));

export interface VectorNormOptions {
  /** The dims to reduce (all when omitted). */
  dim?: number | readonly number[];
  keepdim?: boolean;
}

const VECTOR_NORM_OPTIONS: OptionKeys<VectorNormOptions> = { dim: true, keepdim: true };

/**
 * The vector norm (sum |x|^ord)^(1/ord) over `dim` (all of x when omitted), as
 * torch.linalg.vector_norm: ord Infinity is max |x|, -Infinity min |x|, 0 the count of nonzeros.
 * The gradient is 0 where the norm is 0 (PyTorch's subgradient).
 */
export function vectorNorm(x: Tensor, ord = 2, options: VectorNormOptions = {}): Tensor {
  checkOptions('vectorNorm', options, VECTOR_NORM_OPTIONS);
  assertFloat('linalg.vector_norm', x);
  if (Number.isNaN(ord)) throw new RangeError('linalg.vector_norm(): ord must be a number, got NaN');
  const dims = normalizeDims('linalg.vector_norm', options.dim, x.ndim);
  const keepdim = options.keepdim ?? false;
  if (ord === Infinity) return tidy(() => amax(abs(x), dims, keepdim));
  if (ord === -Infinity) return tidy(() => amin(abs(x), dims, keepdim));
  if (ord === 1) return tidy(() => sum(abs(x), dims, keepdim));
  // The gradient broadcasts the reduced norm back over x.
  const spread = (t: Tensor): Tensor => (keepdim ? t : reshape(t, keptShape(x.shape, dims)));
  if (ord === 0) return composed('linalgVectorNorm', [x], [], () => castTo(sum(ne(x, 0), dims, keepdim), 'float32'), () => [zerosLike(x)]);
  if (ord === 2) {
    return composed('linalgVectorNorm', [x], [x], () => sqrt(sum(mul(x, x), dims, keepdim)), (g, out) => {
      const norm = spread(out);
      return [where(eq(norm, 0), 0, div(mul(x, spread(g)), norm))];
    });
  }
  return composed('linalgVectorNorm', [x], [x], () => pow(sum(pow(abs(x), ord), dims, keepdim), 1 / ord), (g, out) => {
    const norm = spread(out);
    const grad = div(mul(mul(x, pow(abs(x), ord - 2)), spread(g)), pow(norm, ord - 1));
    return [where(eq(norm, 0), 0, grad)];
  });
}

export interface MatrixNormOptions {
  /** The two dims holding the matrices (default [-2, -1]). */
  dim?: readonly [number, number];
  keepdim?: boolean;
}

const MATRIX_NORM_OPTIONS: OptionKeys<MatrixNormOptions> = { dim: true, keepdim: true };

/**
 * The matrix norm over `dim` (the last two by default), as torch.linalg.matrix_norm: 'fro'
 * (default), 1 / -1 (largest / smallest column sum of |A|), Infinity / -Infinity (row sums). The
 * spectral orders 2, -2 and 'nuc' need singular values, which flint does not compute: they throw.
 */
export function matrixNorm(a: Tensor, ord: NormOrder = 'fro', options: MatrixNormOptions = {}): Tensor {
  checkOptions('matrixNorm', options, MATRIX_NORM_OPTIONS);
  assertFloat('linalg.matrix_norm', a);
  if (a.ndim < 2) throw new RangeError(`linalg.matrix_norm(): The input tensor A must have at least 2 dimensions.`);
  const dims = (options.dim ?? [-2, -1]).map((d) => normalizeDim('linalg.matrix_norm', d, a.ndim));
  if (dims.length !== 2 || dims[0] === dims[1]) throw new RangeError(`linalg.matrix_norm(): dims must be different. Got (${dims.join(', ')})`);
  const [rows, cols] = dims as [number, number];
  const keepdim = options.keepdim ?? false;
  if (ord === 'fro') return vectorNorm(a, 2, { dim: [rows, cols], keepdim });
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    return tidy(() => {
      const values = svdvals(movedim(a, [rows, cols], [-2, -1]));
      const out = ord === 'nuc' ? sum(values, -1) : ord === 2 ? amax(values, -1) : amin(values, -1);
      return keepdim ? unsqueeze(unsqueeze(out, Math.min(rows, cols)), Math.max(rows, cols)) : out;
    });
  }
  if (Math.abs(ord) !== 1 && Math.abs(ord) !== Infinity) {
    throw new RangeError(`linalg.matrix_norm(): Order ${ord} not supported.`);
  }
  // Order ±1 sums each column (over the rows) and takes the extreme column; order ±Inf the reverse.
  const [summed, extreme] = Math.abs(ord) === 1 ? [rows, cols] : [cols, rows];
  return tidy(() => {
    const lines = sum(abs(a), summed, true);
    const out = ord > 0 ? amax(lines, extreme, true) : amin(lines, extreme, true);
    return keepdim ? out : squeeze(out, [rows, cols]);
  });
}

/**
 * torch.norm: 'fro' (default) is the 2-norm of all elements or of `dim`; a number is the vector
 * norm of that order; 'nuc' is the nuclear matrix norm (the sum of the singular values).
 */
export function norm(x: Tensor, p: NormOrder = 'fro', dim?: number | readonly number[], keepdim = false): Tensor {
  checkTensors('norm', [x]);
  if (x.dtype !== 'float32') throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${x.dtype} instead.`);
  if (p === 'nuc') return matrixNorm(x, 'nuc', { keepdim });
  return vectorNorm(x, p === 'fro' ? 2 : p, { dim, keepdim });
}

/** The p-norm of a - b (broadcast), as torch.dist. */
export function dist(a: Tensor, b: Tensor, p = 2): Tensor {
  checkTensors('dist', [a, b]);
  return tidy(() => vectorNorm(sub(a, b), p));
}

/**
 * Pairwise p-norm distances between the rows of x1 [..., P, M] and x2 [..., R, M], into
 * [..., P, R], as torch.cdist (computed directly, not through the matrix-product expansion
 * PyTorch uses for large inputs, which cancels when points are close).
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  checkTensors('cdist', [x1, x2]);
  if (x1.ndim < 2) throw new RangeError(`cdist(): cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw new RangeError(`cdist(): cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  if (x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1]) {
    throw new RangeError(`cdist(): X1 and X2 must have the same number of columns. X1: ${x1.shape[x1.ndim - 1]} X2: ${x2.shape[x2.ndim - 1]}`);
  }
  if (!(p >= 0)) throw new RangeError(`cdist(): cdist only supports non-negative p values, got ${p}`);
  assertFloat('cdist', x1);
  assertFloat('cdist', x2);
  return tidy(() => vectorNorm(sub(unsqueeze(x1, -2), unsqueeze(x2, -3)), p, { dim: -1 }));
}

export interface NormalizeOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** The dim normalised (default 1). */
  dim?: number;
  /** The smallest divisor, so a zero vector stays zero (default 1e-12). */
  eps?: number;
}

const NORMALIZE_OPTIONS: OptionKeys<NormalizeOptions> = { p: true, dim: true, eps: true };

/** x divided by its p-norm along `dim` (at least eps), as torch.nn.functional.normalize. */
export function normalize(x: Tensor, options: NormalizeOptions = {}): Tensor {
  checkTensors('normalize', [x]);
  checkOptions('normalize', options, NORMALIZE_OPTIONS);
  const p = options.p ?? 2;
  const dim = options.dim ?? 1;
  const eps = options.eps ?? 1e-12;
  return tidy(() => div(x, clamp(vectorNorm(x, p, { dim, keepdim: true }), eps, null)));
}
