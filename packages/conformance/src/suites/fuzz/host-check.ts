/**
 * What the reference backend is checked against, having no reference of its own: each case's host
 * computation in float64 (forward), and central finite differences of that computation (gradients
 * of `sum(out * w)`), sampled at a few input positions where the function is smooth.
 */
import type { FuzzCase } from './catalogue.ts';
import { positions, withData } from './host-tensor.ts';
import { CaseRandom } from './random.ts';
import { differentiable, gradientWeights } from './run.ts';
import { edgeFloats, numel, type HostTensor } from './values.ts';

/** The case's result on the host from its base inputs: views applied, in-place writes landed in the base. */
export function hostResult(c: FuzzCase, bases: readonly HostTensor[]): HostTensor {
  const viewed = bases.map((b, i) => c.inputs[i]!.view?.host(b) ?? b);
  const out = c.host(viewed);
  if (!c.inPlace) return out;
  const base = bases[0]!;
  const offsets = c.inputs[0]!.view?.host(positions(base.shape)).data ?? base.data.map((_, i) => i);
  const written = base.data.slice();
  offsets.forEach((o, i) => (written[o] = out.data[i]!));
  return withData(base, written);
}

/** The host result rounded as the backend stores it. */
export function hostForward(c: FuzzCase): HostTensor {
  const out = hostResult(c, c.inputs.map((i) => i.host));
  return out.dtype === 'float32' ? withData(out, out.data.map(Math.fround)) : out;
}

/** Finite differences need finite, ordinary inputs away from the kinks edge values sit on. */
const edges = new Set(edgeFloats.map(Math.fround));
const ordinary = (v: number): boolean => Number.isFinite(v) && Math.abs(v) <= 20 && !edges.has(v);
const maxSamples = 8;
const maxOutput = 20_000;

/** One gradient estimate: the derivative, and the sum of the magnitudes of the terms it sums. */
export interface Estimate {
  readonly position: number;
  readonly value: number;
  /** `sum_j |w_j df_j/dx|`: the scale of the cancellation a float32 backward may show. */
  readonly magnitude: number;
  /**
   * `sum_j |w_j f_j|` over the input's RMS: the scale of terms that cancel inside a structured
   * op's backward (softmax's `g - p * sum(g)`) though no single output depends on them.
   */
  readonly lossScale: number;
  /** `sum_j |w_j|` over the outputs that depend on the input element. */
  readonly weights: number;
  /** What float64 rounding of the outputs alone can make the estimate err by (erf near ±1). */
  readonly noise: number;
}

/**
 * Finite-difference estimates of the gradient of `sum(out * w)` for each differentiable input, at
 * up to `maxSamples` positions, or undefined when the case is not smooth enough to estimate.
 * Richardson extrapolation of steps h and h/2 cancels the h^2 error term.
 */
export function finiteDifferences(c: FuzzCase, seed: number): Estimate[][] | undefined {
  const bases = c.inputs.map((i) => i.host);
  if (!c.inputs.some((_, i) => differentiable(c, i))) return undefined;
  // Long rows' closed forms hit exact values such as 0 and 1, but their ops (sums, softmax) have no kinks.
  const usable = c.longRow ? Number.isFinite : ordinary;
  if (bases.some((b) => b.dtype === 'float32' && !b.data.every(usable))) return undefined;
  let center: HostTensor;
  try {
    center = hostResult(c, bases);
  } catch {
    return undefined; // A call that throws has no gradient; the forward check covers it.
  }
  if (center.dtype !== 'float32' || numel(center.shape) > maxOutput || !center.data.every(Number.isFinite)) return undefined;
  const w = gradientWeights(c, seed, center.shape).data;
  const r = new CaseRandom(seed ^ 0x00fd00fd, c.index);
  const at = (i: number, p: number, dx: number): readonly number[] => {
    const data = bases[i]!.data.slice();
    data[p] = data[p]! + dx;
    return hostResult(c, bases.map((b, k) => (k === i ? withData(b, data) : b))).data;
  };
  const slope = (plus: readonly number[], minus: readonly number[], h: number) => {
    let value = 0;
    let magnitude = 0;
    let weights = 0;
    let noise = 0;
    for (let j = 0; j < plus.length; j++) {
      const term = (w[j]! * (plus[j]! - minus[j]!)) / (2 * h);
      value += term;
      magnitude += Math.abs(term);
      if (plus[j] !== minus[j]) weights += Math.abs(w[j]!);
      noise += (Math.abs(w[j]!) * Number.EPSILON * Math.max(Math.abs(plus[j]!), Math.abs(minus[j]!))) / h;
    }
    return { value, magnitude, weights, noise };
  };
  const loss = center.data.reduce((a, v, j) => a + Math.abs(w[j]! * v), 0);
  return c.inputs.flatMap((input, i) => {
    if (!differentiable(c, i)) return [];
    const n = input.host.data.length;
    const rms = Math.sqrt(input.host.data.reduce((a, v) => a + v * v, 0) / Math.max(n, 1));
    const lossScale = loss / Math.max(rms, 1e-3);
    // The ends too: near the end of a row a scan's backward sums least, so cancellation shows most.
    const ends = [0, n - 1, n - 2, n - 17].filter((p) => p >= 0);
    const sampled = n <= maxSamples ? Array.from({ length: n }, (_, p) => p) : [...new Set([...ends, ...Array.from({ length: maxSamples - ends.length }, () => r.int(0, n - 1))])];
    return [sampled.map((p): Estimate[] => {
      // Differences are taken per output element, so a small step loses little to rounding.
      const h = 1e-6 * Math.max(Math.abs(input.host.data[p]!), 1e-4);
      const coarse = slope(at(i, p, h), at(i, p, -h), h);
      const fine = slope(at(i, p, h / 2), at(i, p, -h / 2), h / 2);
      // Steps that disagree straddle a kink (a tie of maximum, a clamp bound): no estimate there.
      if (Math.abs(coarse.value - fine.value) > 1e-4 * fine.magnitude + 4 * fine.noise + 1e-12) return [];
      return [{ position: p, value: (4 * fine.value - coarse.value) / 3, magnitude: fine.magnitude, lossScale, weights: coarse.weights, noise: 4 * fine.noise }];
    }).flat()];
  });
}

/**
 * Why the backend's gradient disagrees with the estimates, or undefined when it agrees: within
 * `rtol` of the terms summed, plus `lossRtol` of the loss scale (zero for ops whose gradients
 * must be relatively accurate however small), plus `atol` per unit of the weights involved.
 */
export function gradientMismatch(grads: ReadonlyArray<ArrayLike<number> | null>, estimates: readonly Estimate[][], rtol: number, lossRtol: number, atol = 0): string | undefined {
  for (let i = 0; i < estimates.length; i++) {
    const g = grads[i];
    for (const e of estimates[i]!) {
      const got = g ? Number(g[e.position]) : 0;
      const tol = rtol * e.magnitude + lossRtol * e.lossScale + atol * e.weights + e.noise + 1e-30;
      if (!(Math.abs(got - e.value) <= tol)) return `gradient ${i} at [${e.position}]: ${got} vs finite difference ${e.value} (terms ${e.magnitude.toPrecision(3)})`;
    }
  }
  return undefined;
}
