/**
 * flint.nn.init's further fills: the deterministic ones (calculateGain, eye_, dirac_) exactly
 * against torch (fixtures/optim2/init.json, made by scripts/optim2_cases.py), the random ones by
 * their defining properties and sample moments.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectClose, type Encoded } from '../helpers.ts';
import type { SuiteContext } from '../context.ts';

const { init } = flint.nn;

interface InitFixtures {
  gains: Array<{ nonlinearity: flint.nn.init.Nonlinearity; param: number | null; gain: number }>;
  eye: Encoded;
  dirac: Array<{ shape: number[]; groups: number; value: Encoded }>;
  /** Truncated normals and their closed-form [mean, variance]. */
  truncated: Array<{ mean: number; std: number; a: number; b: number; moments: [number, number] }>;
}

const fixtures = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/optim2/init.json', import.meta.url)), 'utf8')) as InitFixtures;
const exact = { rtol: 0, atol: 0 };

/** Rows of a 2-D tensor's values. */
async function rowsOf(t: flint.Tensor): Promise<number[][]> {
  return (await t.tolist()) as number[][];
}

export function nnInitSuite(ctx: SuiteContext): void {
  const on = { device: ctx.name };
  const empty = (shape: number[]): flint.Tensor => flint.full(shape, 7, on);

  describe('nn.init: deterministic fills match torch.nn.init', () => {
    for (const { nonlinearity, param, gain } of fixtures.gains) {
      it(`calculateGain('${nonlinearity}'${param === null ? '' : `, ${param}`})`, () => {
        expect(init.calculateGain(nonlinearity, param ?? undefined)).toBe(gain);
      });
    }

    it('eye_', async () => {
      const t = empty([3, 5]);
      expect(init.eye_(t)).toBe(t);
      await expectClose(t, fixtures.eye, exact);
      t.dispose();
    });

    for (const { shape, groups, value } of fixtures.dirac) {
      it(`dirac_ [${shape}] groups ${groups}`, async () => {
        const t = empty(shape);
        init.dirac_(t, groups);
        await expectClose(t, value, exact);
        t.dispose();
      });
    }

    it('zeros_ and ones_ fill in place without recording', async () => {
      const w = flint.full([2, 2], 3, { ...on, requiresGrad: true });
      init.zeros_(w);
      expect(await w.tolist()).toEqual([[0, 0], [0, 0]]);
      init.ones_(w);
      expect(await w.tolist()).toEqual([[1, 1], [1, 1]]);
      expect(w.isLeaf).toBe(true);
      w.dispose();
    });
  });

  describe('nn.init: random fills have their defining properties', () => {
    for (const [shape, gain] of [[[5, 3], 1], [[3, 5], 1], [[4, 2, 3], 2], [[6, 6], 0.5]] as Array<[number[], number]>) {
      it(`orthogonal_ [${shape}] gain ${gain}: W W^T (or W^T W) = gain^2 I, reproducibly`, async () => {
        const t = empty(shape);
        init.orthogonal_(t, gain, { generator: new flint.Generator(3) });
        const rows = shape[0]!;
        const w = await rowsOf(t.reshape([rows, -1]));
        const cols = w[0]!.length;
        // Gram matrix of the shorter side's vectors.
        const [k, dot] = rows <= cols
          ? [rows, (i: number, j: number) => w[i]!.reduce((s, v, c) => s + v * w[j]![c]!, 0)]
          : [cols, (i: number, j: number) => w.reduce((s, row) => s + row[i]! * row[j]!, 0)];
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(Math.abs(dot(i, j) - (i === j ? gain * gain : 0))).toBeLessThan(1e-5);
        const again = init.orthogonal_(empty(shape), gain, { generator: new flint.Generator(3) });
        expect(await again.tolist()).toEqual(await t.tolist());
        for (const x of [t, again]) x.dispose();
      });
    }

    it('sparse_ zeroes ceil(sparsity * rows) entries of every column; the rest are N(0, std^2)', async () => {
      const [rows, cols, std] = [100, 60, 0.05];
      const t = init.sparse_(empty([rows, cols]), 0.234, std, { generator: new flint.Generator(5) });
      const w = await rowsOf(t);
      for (let c = 0; c < cols; c++) expect(w.filter((row) => row[c] === 0).length, `zeros in column ${c}`).toBe(24);
      const kept = w.flat().filter((v) => v !== 0);
      const mean = kept.reduce((s, v) => s + v, 0) / kept.length;
      const variance = kept.reduce((s, v) => s + (v - mean) ** 2, 0) / kept.length;
      expect(Math.abs(mean)).toBeLessThan((5 * std) / Math.sqrt(kept.length));
      expect(Math.sqrt(variance) / std).toBeCloseTo(1, 1);
      t.dispose();
    });

    for (const { mean, std, a, b, moments } of fixtures.truncated) {
      it(`truncNormal_ mean ${mean} std ${std} on [${a}, ${b}]: inside the bounds, with the truncated moments`, async () => {
        const n = 40000;
        const t = init.truncNormal_(empty([n]), mean, std, a, b, { generator: new flint.Generator(11) });
        const v = Array.from(await t.data());
        expect(v.every((x) => x >= a && x <= b), 'a sample outside [a, b]').toBe(true);
        const sampleMean = v.reduce((s, x) => s + x, 0) / n;
        const sampleVar = v.reduce((s, x) => s + (x - sampleMean) ** 2, 0) / n;
        const [expectedMean, expectedVar] = moments;
        expect(Math.abs(sampleMean - expectedMean)).toBeLessThan(5 * Math.sqrt(expectedVar / n));
        expect(Math.abs(sampleVar / expectedVar - 1)).toBeLessThan(0.05);
        t.dispose();
      });
    }
  });

  describe('nn.init: bad arguments', () => {
    const cases: Array<[string, () => unknown, string]> = [
      ['calculateGain of an unknown nonlinearity', () => init.calculateGain('swish' as 'relu'), 'calculateGain(): Unsupported nonlinearity swish'],
      ['eye_ of a 3-D tensor', () => init.eye_(empty([2, 2, 2])), 'eye_(): Only tensors with 2 dimensions are supported'],
      ['dirac_ of a 2-D tensor', () => init.dirac_(empty([2, 2])), 'dirac_(): Only tensors with 3, 4, or 5 dimensions are supported'],
      ['dirac_ with groups not dividing dim 0', () => init.dirac_(empty([3, 2, 3]), 2), 'dirac_(): dim 0 must be divisible by groups'],
      ['orthogonal_ of a 1-D tensor', () => init.orthogonal_(empty([4])), 'orthogonal_(): Only tensors with 2 or more dimensions are supported'],
      ['sparse_ of a 3-D tensor', () => init.sparse_(empty([2, 2, 2]), 0.5), 'sparse_(): Only tensors with 2 dimensions are supported'],
      ['sparse_ with sparsity above 1', () => init.sparse_(empty([2, 2]), 1.5), 'sparse_(): sparsity must be in [0, 1], got 1.5'],
      ['truncNormal_ with a >= b', () => init.truncNormal_(empty([2]), 0, 1, 2, -2), 'truncNormal_(): a must be less than b, got a=2, b=-2'],
    ];
    for (const [what, make, message] of cases) {
      it(what, () => flint.tidy(() => expect(make).toThrow(message)));
    }

    it('a rejected fill leaves the tensor unchanged', async () => {
      const t = empty([3, 2, 3]);
      expect(() => init.dirac_(t, 2)).toThrow();
      expect((await t.data()).every((v) => v === 7)).toBe(true);
      t.dispose();
    });
  });
}
