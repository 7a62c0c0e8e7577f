/**
 * The f32x4 approximations of assembly/vector-math.ts over a sweep of about a million float32
 * inputs spread over every binade of both signs (every 4099th bit pattern, plus the special
 * values), against float64 references: the error is measured in float32 ulps of the exact value.
 */
import { describe, expect, it } from 'vitest';
import type { UnaryOp } from '@flint/core';
import { backends, view } from './helpers.ts';

/** erf(a) for 0 <= a < 2 by its Maclaurin series, to float64 accuracy. */
function erfSeries(a: number): number {
  let term = a, sum = a;
  for (let n = 1; n < 60; n++) {
    term *= (-a * a) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(a) for a >= 2 by Lentz's evaluation of its continued fraction, to float64 accuracy. */
function erfcFraction(a: number): number {
  if (a === Infinity) return 0;
  let f = a, c = a, d = 0;
  for (let n = 1; n < 300; n++) {
    d = 1 / (a + (n / 2) * d);
    c = a + n / 2 / c;
    f *= c * d;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

const erf = (x: number): number => (Math.abs(x) < 2 ? Math.sign(x) * erfSeries(Math.abs(x)) || x : Math.sign(x) * (1 - erfcFraction(Math.abs(x))));
const erfc = (x: number): number => (Math.abs(x) < 2 ? 1 - erf(x) : x > 0 ? erfcFraction(x) : 2 - erfcFraction(-x));

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const GELU_K = Math.sqrt(2 / Math.PI);
const geluTanhArgument = (x: number): number => GELU_K * (x + 0.044715 * x * x * x);

/** The exact functions (float64 is exact enough to measure float32 ulps against). */
const EXACT: Record<string, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid,
  silu: (x) => x * sigmoid(x),
  erf,
  erfc,
  gelu: (x) => 0.5 * x * erfc(-x / Math.SQRT2),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  // x sigmoid(2u) is 0.5 x (1 + tanh u) without its cancellation; the kernel uses that form above -3.
  geluTanh: (x) => (x < -3 ? 0.5 * x * (1 + Math.tanh(geluTanhArgument(x))) : x * sigmoid(2 * geluTanhArgument(x))),
};

/**
 * Most ulps allowed per op: exp and log as Cephes' float32 forms, the rest compose them with a
 * division; tanh-GELU's cubic argument u, rounded in float32, moves sigmoid(2u) by up to 2|u| times
 * its relative error (below x = -3 the float64 path takes over).
 */
const ULPS: Record<string, number> = { exp: 2, log: 2, tanh: 3, sigmoid: 3, silu: 3, softplus: 3, geluTanh: 16, erf: 4, erfc: 8, gelu: 8 };

function sweep(): Float32Array {
  const bits = new Uint32Array(Math.floor(2 ** 32 / 4099) + 8);
  let n = 0;
  for (let b = 0; b < 2 ** 32; b += 4099) bits[n++] = b;
  const values = new Float32Array(bits.buffer, 0, n);
  const specials = [0, -0, Infinity, -Infinity, NaN, 1, -1, 88.72, -87.3, -103.9, 1e-45, -1e-45, 3.4e38, -3.4e38];
  const out = new Float32Array(n + specials.length);
  out.set(values.subarray(0, n));
  out.set(specials, n);
  return out;
}

/** float32 ulp at the exact value `x` (subnormal spacing below 2^-126). */
function ulp(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

describe('wasm-simd f32x4 transcendental approximations', async () => {
  const { wasm } = await backends();
  const inputs = sweep();
  const storage = wasm.upload(inputs, 'float32');
  for (const [op, exact] of Object.entries(EXACT)) {
    it(`${op}: within ${ULPS[op]} ulps of the exact value; special values exact`, () => {
      const got = wasm.readSync!(wasm.unary(op as UnaryOp, view(storage, [inputs.length]))) as Float32Array;
      let worst = 0;
      const failures: string[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const want = exact(inputs[i]!);
        const have = got[i]!;
        if (!Number.isFinite(want) || Math.abs(want) > 3.4028234663852886e38) {
          const rounded = Math.fround(want);
          if (!Object.is(have, rounded) && !(Number.isNaN(have) && Number.isNaN(rounded))) failures.push(`${op}(${inputs[i]}) = ${have}, exact ${want}`);
          continue;
        }
        const off = Math.abs(have - want) / ulp(want);
        worst = Math.max(worst, off);
        if (!(off <= ULPS[op]!)) failures.push(`${op}(${inputs[i]}) = ${have}, exact ${want} (${off.toPrecision(3)} ulps)`);
      }
      expect(failures.slice(0, 8)).toEqual([]);
      expect(worst).toBeGreaterThan(0);
    });
  }
});
