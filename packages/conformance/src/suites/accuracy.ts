/**
 * Accuracy where float32 formulas and drivers' built-in functions go wrong: sin and cos of large
 * arguments, exp and log near the subnormal range, log1p and softplus of small and negative
 * arguments, functions built on exp there, and conv2d's zero padding against infinite values
 * (0 * inf is NaN, as im2col computes it). Expected values are exact (mpmath, or PyTorch in
 * float64; fixtures/accuracy/accuracy.json, made by scripts/accuracy_cases.py), and each case
 * states its tolerance in float32 ulps of the exact value. A backend that flushes subnormal
 * results (WGSL allows it) lists the cases that have them in the reviewed skip list.
 */
import * as flint from '@flint/core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { decode, type Encoded } from '../helpers.ts';
import { skipReason } from '../skips.ts';

interface AccuracyCase {
  name: string;
  op: string;
  inputs: Encoded[];
  args: { padding?: [number, number] };
  expected: Encoded;
  /** The largest error allowed, in float32 ulps of the exact value; non-finite values must match exactly. */
  ulps: number;
  /** Whether some expected values are subnormal. */
  subnormal: boolean;
}

type Op = (inputs: flint.Tensor[], args: AccuracyCase['args']) => flint.Tensor;

const conv = (x: flint.Tensor, w: flint.Tensor, args: AccuracyCase['args']): flint.Tensor =>
  flint.nn.functional.conv2d(x, w, null, { padding: args.padding ?? [0, 0] });

const OPS: Record<string, Op> = {
  sin: ([x]) => flint.sin(x!),
  cos: ([x]) => flint.cos(x!),
  exp: ([x]) => flint.exp(x!),
  log: ([x]) => flint.log(x!),
  log1p: ([x]) => flint.log1p(x!),
  sigmoid: ([x]) => flint.sigmoid(x!),
  softplus: ([x]) => flint.softplus(x!),
  silu: ([x]) => flint.silu(x!),
  gelu: ([x]) => flint.gelu(x!),
  pow: ([a, b]) => flint.pow(a!, b!),
  conv2d: ([x, w], args) => conv(x!, w!, args),
  // The weight's gradient of sum(conv2d(x, w) * g).
  conv2dWeightGrad: ([x, w, g], args) => {
    const weight = w!.requiresGrad_(true);
    return flint.autograd.grad(conv(x!, weight, args).mul(g!).sum(), weight)[0]!;
  },
};

function loadCases(): AccuracyCase[] {
  const file = fileURLToPath(new URL('../../fixtures/accuracy/accuracy.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: AccuracyCase[] }).cases;
}

/** One float32 ulp at the exact value `x` (subnormal spacing below 2^-126). */
function ulp(x: number): number {
  const magnitude = Math.abs(x);
  return magnitude < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(magnitude)) - 23);
}

/** The error of `got` in ulps of `want`: 0 or Infinity where either is not finite. */
function ulpsOff(got: number, want: number): number {
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) ? 0 : Infinity;
  return Math.abs(got - want) / ulp(want);
}

export function accuracySuite(ctx: SuiteContext): void {
  describe('accuracy', () => {
    for (const c of loadCases()) {
      const reason = skipReason(ctx.name, c.name);
      const test = reason ? it.skip : it;
      test(`${c.name}: within ${c.ulps} ulps${reason ? ` (skipped: ${reason})` : ''}`, async () => {
        const op = OPS[c.op];
        expect(op, `no flint mapping for accuracy op ${c.op}`).toBeDefined();
        const out = flint.tidy(() => op!(c.inputs.map((e) => decode(e, ctx.name)), c.args));
        try {
          expect([...out.shape]).toEqual(c.expected.shape);
          const got = Array.from(await out.data());
          const inputs = c.inputs.map((e) => e.data.join(', '));
          const bad = c.expected.data.flatMap((e, i) => {
            const want = e === 'nan' ? NaN : e === 'inf' ? Infinity : e === '-inf' ? -Infinity : Number(e);
            const off = ulpsOff(got[i]!, want);
            return off <= c.ulps ? [] : [`[${i}] got ${got[i]}, exact ${want} (${off.toPrecision(3)} ulps)`];
          });
          expect(bad, `${c.op} of ${inputs.join(' and ')}`).toEqual([]);
        } finally {
          out.dispose();
        }
      });
    }
  });
}
