import type { UnaryOp } from '@flint/core';
import { describe, expect, it } from 'vitest';
import { erf } from '../src/math.ts';
import { backend, expectClose, f32, read, upload, view } from './helpers.ts';

const b = backend();
const { E, LN2 } = Math;
const inf = Infinity;

function run(op: UnaryOp, values: number[], dtype: 'float32' | 'int32' = 'float32'): number[] {
  const s = upload(b, values, dtype);
  return read(b, b.unary(op, view(s, [values.length])));
}

/** [input, expected] pairs; expected values are hand-derived or textbook constants. */
const cases: [UnaryOp, number[], number[]][] = [
  ['neg', [0, -2, 3.5, NaN, inf], [-0, 2, -3.5, NaN, -inf]],
  ['abs', [-2, 0, 3, NaN, -inf], [2, 0, 3, NaN, inf]],
  ['sign', [-2, 0, -0, 3, NaN, -inf, 1e-30], [-1, 0, 0, 1, 0, -1, 1]],
  ['exp', [0, 1, -1, 100, -inf, NaN], [1, E, 1 / E, inf, 0, NaN]],
  ['log', [1, E, 0, -1, inf, NaN], [0, 1, -inf, NaN, inf, NaN]],
  ['log1p', [0, 1e-7, -1, E - 1, -2], [0, 9.999999500000033e-8, -inf, 1, NaN]],
  ['sqrt', [4, 0, -1, inf, 2], [2, 0, NaN, inf, Math.SQRT2]],
  ['rsqrt', [4, 0, -1, inf, 2], [0.5, inf, NaN, 0, Math.SQRT1_2]],
  ['reciprocal', [2, 0, -0, -4, inf], [0.5, inf, -inf, -0.25, 0]],
  ['sin', [0, Math.PI / 2, -Math.PI / 6, NaN, inf], [0, 1, -0.5, NaN, NaN]],
  ['cos', [0, Math.PI, Math.PI / 3, NaN], [1, -1, 0.5, NaN]],
  ['tanh', [0, 100, -100, 0.5, NaN], [0, 1, -1, 0.46211715726000974, NaN]],
  ['sigmoid', [0, 100, -100, -1000, 1000, 2, NaN, -inf], [0.5, 1, 3.720075976020836e-44, 0, 1, 0.8807970779778823, NaN, 0]],
  ['relu', [-1, 0, 2, NaN, -inf, inf], [0, 0, 2, NaN, 0, inf]],
  ['erf', [0, 0.1, 0.5, 1, 1.5, 2, 3, -0.5, -3, 10, -inf, inf, NaN],
    [0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9661051464753108, 0.9953222650189527,
      0.9999779095030014, -0.5204998778130465, -0.9999779095030014, 1, -1, 1, NaN]],
  ['softplus', [0, 100, -100, 1000, -1000, 1, -inf, inf, NaN],
    [LN2, 100, 3.720075976020836e-44, 1000, 0, 1.3132616875182228, 0, inf, NaN]],
  ['floor', [-1.5, 1.5, -0.5, 2, NaN, -inf], [-2, 1, -1, 2, NaN, -inf]],
  ['ceil', [-1.5, 1.5, -0.5, 2, NaN, inf], [-1, 2, -0, 2, NaN, inf]],
  ['round', [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, NaN, inf, 8388609, 0.49999997],
    [0, 2, 2, -0, -2, -2, 2, 3, -3, NaN, inf, 8388609, 0]],
  // x * Phi(x), Phi the standard normal CDF: Phi(1) = 0.8413447460685429, Phi(3) = 0.9986501019683699.
  ['gelu', [0, 1, -1, 3, -3, NaN], [0, 0.8413447460685429, -0.15865525393145707, 2.9959503059051097, -0.0040496940948902, NaN]],
  ['silu', [0, 1, -1, 20, -20, NaN], [0, 0.7310585786300049, -0.2689414213699951, 19.999999958776925, -4.1223072448771156e-8, NaN]],
];

describe('unary float32', () => {
  it.each(cases)('%s', (op, input, expected) => {
    expectClose(run(op, input), f32(expected), 2e-7, 1e-45);
  });

  it('geluTanh matches its defining formula', () => {
    const xs = [0, 1, -1, 2.5, -2.5, 0.1, 6, -6];
    const formula = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
    expectClose(run('geluTanh', xs), f32(formula), 2e-7, 1e-12);
    expect(run('geluTanh', [NaN])).toEqual([NaN]);
  });

  it('reads non-contiguous and offset inputs', () => {
    const s = upload(b, [9, 1, 2, 3, 4, 5, 6]);
    // [3, 2] storage at offset 1 read transposed as [2, 3].
    const out = read(b, b.unary('neg', view(s, [2, 3], [1, 2], 1)));
    expect(out).toEqual([-1, -3, -5, -2, -4, -6]);
    const bcast = read(b, b.unary('abs', view(upload(b, [-7]), [2, 2], [0, 0])));
    expect(bcast).toEqual([7, 7, 7, 7]);
  });

  it('predicates return bool', () => {
    const xs = [0, 1, NaN, inf, -inf, -2.5];
    const s = upload(b, xs);
    const isnan = b.unary('isnan', view(s, [6]));
    expect(isnan.dtype).toBe('bool');
    expect(b.readSync!(isnan)).toBeInstanceOf(Uint8Array);
    expect(read(b, isnan)).toEqual([0, 0, 1, 0, 0, 0]);
    expect(read(b, b.unary('isfinite', view(s, [6])))).toEqual([1, 1, 0, 0, 0, 1]);
    expect(read(b, b.unary('logicalNot', view(s, [6])))).toEqual([1, 0, 0, 0, 0, 0]);
    expect(read(b, b.unary('logicalNot', view(upload(b, [1, 0], 'bool'), [2])))).toEqual([0, 1]);
  });
});

describe('unary int32', () => {
  it('wraps and keeps int32', () => {
    const min = -2147483648;
    const s = upload(b, [min, -3, 0, 5], 'int32');
    const neg = b.unary('neg', view(s, [4]));
    expect(neg.dtype).toBe('int32');
    expect(read(b, neg)).toEqual([min, 3, 0, -5]);
    expect(read(b, b.unary('abs', view(s, [4])))).toEqual([min, 3, 0, 5]);
    expect(read(b, b.unary('sign', view(s, [4])))).toEqual([-1, -1, 0, 1]);
    expect(read(b, b.unary('relu', view(s, [4])))).toEqual([0, 0, 0, 5]);
    expect(read(b, b.unary('isnan', view(s, [4])))).toEqual([0, 0, 0, 0]);
    expect(read(b, b.unary('isfinite', view(s, [4])))).toEqual([1, 1, 1, 1]);
  });
});

/** erf by its Maclaurin series (|x| <= 3) or the continued fraction of erfc (|x| > 3), in float64. */
function referenceErf(x: number): number {
  const z = Math.abs(x);
  if (z <= 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (-z * z) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * sum * (2 / Math.sqrt(Math.PI));
  }
  // erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated bottom-up.
  let f = z;
  for (let n = 200; n >= 1; n--) f = z + n / 2 / f;
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

describe('erf accuracy', () => {
  it('stays within 3e-8 relative of an independent float64 reference', () => {
    let worst = 0;
    for (let x = -6; x <= 6; x += 0.0037) {
      const ref = referenceErf(x);
      worst = Math.max(worst, Math.abs(erf(x) - ref) / Math.abs(ref));
    }
    for (const x of [1e-30, 1e-10, 1e-5, 0.001, 0.999999, 1, 1.000001]) {
      worst = Math.max(worst, Math.abs(erf(x) - referenceErf(x)) / referenceErf(x));
    }
    expect(worst).toBeLessThan(3e-8);
  });
});
