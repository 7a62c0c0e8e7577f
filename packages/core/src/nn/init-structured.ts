/**
 * The structured fills of torch.nn.init: identity-like (`eye_`, `dirac_`), orthogonal and sparse
 * matrices. They are built on the host, where a small QR is cheap, and copied into the tensor.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { defaultGenerator, type Generator } from '../random/generator.ts';
import { permutation } from '../random/draws.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { eye, tensor } from '../ops/creation.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface InitOptions {
  generator?: Generator;
}

export const INIT_OPTIONS: OptionKeys<InitOptions> = { generator: true };

/** Writes host `values` (row-major, `t`'s shape) into `t` without recording. */
function write<T extends Tensor>(t: T, values: Float32Array | (() => Tensor)): T {
  tidy(() => noGrad(() => t.copy_(typeof values === 'function' ? values() : tensor(values, { device: t.device }).reshape(t.shape))));
  return t;
}

/** Fills a 2-D tensor with the identity (ones on the main diagonal), as torch.nn.init.eye_. */
export function eye_<T extends Tensor>(t: T): T {
  if (t.ndim !== 2) throw new RangeError('eye_(): Only tensors with 2 dimensions are supported');
  return write(t, () => eye(t.shape[0]!, t.shape[1]!, { device: t.device }));
}

/**
 * Fills a 3-, 4- or 5-D convolution weight [out, in, ...kernel] with the Dirac delta, so the
 * convolution passes its input through: within each of `groups` groups of output channels,
 * channel d takes input channel d at the kernel's centre.
 */
export function dirac_<T extends Tensor>(t: T, groups = 1): T {
  if (t.ndim < 3 || t.ndim > 5) throw new RangeError('dirac_(): Only tensors with 3, 4, or 5 dimensions are supported');
  const [out, inChannels, ...kernel] = t.shape as number[];
  if (!Number.isInteger(groups) || groups < 1 || out! % groups !== 0) throw new RangeError('dirac_(): dim 0 must be divisible by groups');
  const outPerGroup = out! / groups;
  const kernelSize = kernel.reduce((a, b) => a * b, 1);
  // The centre element's offset within one kernel, row-major: floor(k / 2) along each axis.
  const centre = kernel.reduce((offset, k) => offset * k + Math.floor(k / 2), 0);
  const values = new Float32Array(t.numel());
  for (let g = 0; g < groups; g++) {
    for (let d = 0; d < Math.min(outPerGroup, inChannels!); d++) values[((g * outPerGroup + d) * inChannels! + d) * kernelSize + centre] = 1;
  }
  return write(t, values);
}

/**
 * Fills with a (semi-)orthogonal matrix times `gain`, as torch.nn.init.orthogonal_: the tensor is
 * viewed as [rows, numel / rows], and its rows (or columns, whichever are fewer) are orthonormal.
 * Drawn as the Q factor of a Gaussian matrix's QR with R's diagonal positive, so uniformly (Haar).
 */
export function orthogonal_<T extends Tensor>(t: T, gain = 1, options: InitOptions = {}): T {
  checkOptions('orthogonal_', options, INIT_OPTIONS);
  if (t.ndim < 2) throw new RangeError('orthogonal_(): Only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const draws = (options.generator ?? defaultGenerator).normal(t.numel());
  // Orthonormalise the longer side's vectors: columns of the tall matrix (A, or A^T when wide).
  const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
  const at = (i: number, j: number): number => (rows < cols ? draws[j * cols + i]! : draws[i * cols + j]!);
  const q = orthonormalColumns(m, n, at);
  const values = new Float32Array(t.numel());
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) values[rows < cols ? j * cols + i : i * cols + j] = gain * q[j]![i]!;
  }
  return write(t, values);
}

/**
 * The Q factor's columns of an m x n (m >= n) matrix by modified Gram-Schmidt in double
 * precision, each projection done twice so the columns stay orthogonal to rounding. Each column
 * keeps the sign of its projection, so R's diagonal is positive, as torch makes it.
 */
function orthonormalColumns(m: number, n: number, at: (i: number, j: number) => number): Float64Array[] {
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({ length: m }, (_, i) => at(i, j));
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i] -= dot * u[i]!;
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < m; i++) v[i] /= norm;
    q.push(v);
  }
  return q;
}

/**
 * Fills a 2-D tensor with N(0, std^2) samples, then zeroes `ceil(sparsity * rows)` randomly chosen
 * entries in every column, as torch.nn.init.sparse_.
 */
export function sparse_<T extends Tensor>(t: T, sparsity: number, std = 0.01, options: InitOptions = {}): T {
  checkOptions('sparse_', options, INIT_OPTIONS);
  if (t.ndim !== 2) throw new RangeError('sparse_(): Only tensors with 2 dimensions are supported');
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`sparse_(): sparsity must be in [0, 1], got ${sparsity}`);
  const [rows, cols] = t.shape as [number, number];
  const generator = options.generator ?? defaultGenerator;
  const values = generator.normal(rows * cols).map((v) => v * std);
  const zeros = Math.ceil(sparsity * rows);
  for (let col = 0; col < cols; col++) {
    const order = permutation(rows, generator);
    for (let k = 0; k < zeros; k++) values[order[k]! * cols + col] = 0;
  }
  return write(t, values);
}
