/**
 * Sampling: multinomial, bernoulli and normal draw the same values on every backend for a seed (the
 * generator's words are the backend's input, the sampling is composed ops), follow their
 * distributions (frequencies within a few standard errors over many draws), and the distributions'
 * logProb and entropy match PyTorch 1.13 (fixtures/sampling.json, through the fixture suite). Also
 * nanoGPT's sampling loop, line for line.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { expectThrowsClean } from './errors.ts';
import { readsSynchronously } from '../helpers.ts';

const f32 = { dtype: 'float32' } as const;

/** Draws on `device` with a fresh generator seeded `seed`. */
async function drawn(device: string, seed: number, draw: (g: flint.Generator, device: string) => flint.Tensor): Promise<number[]> {
  const t = draw(new flint.Generator(seed), device);
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

/** Poisson(rate)'s probabilities of 0..n-1, in float64 by the recurrence p(k) = p(k-1) rate / k. */
function poissonPmf(rate: number, n: number): number[] {
  const pmf = [Math.exp(-rate)];
  for (let k = 1; k < n; k++) pmf.push((pmf[k - 1]! * rate) / k);
  return pmf;
}

/** Pearson's chi-square of `samples` against `pmf`, with the tails pooled into bins expecting at least 20. */
function chiSquare(samples: readonly number[], pmf: readonly number[]): { statistic: number; bins: number } {
  const counts = new Map<number, number>();
  for (const s of samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const expected = pmf.map((p) => p * samples.length);
  let statistic = 0;
  let bins = 0;
  let pooledSeen = 0;
  let pooledExpected = 0;
  for (let k = 0; k < pmf.length; k++) {
    pooledSeen += counts.get(k) ?? 0;
    pooledExpected += expected[k]!;
    if (pooledExpected < 20) continue;
    statistic += (pooledSeen - pooledExpected) ** 2 / pooledExpected;
    bins++;
    pooledSeen = pooledExpected = 0;
  }
  const beyond = samples.length - [...counts].filter(([k]) => k < pmf.length).reduce((a, [, c]) => a + c, 0);
  const rest = samples.length - expected.reduce((a, b) => a + b, 0);
  statistic += (pooledSeen + beyond - (pooledExpected + rest)) ** 2 / Math.max(pooledExpected + rest, 1);
  return { statistic, bins: bins + 1 };
}

function frequencies(samples: readonly number[], categories: number): number[] {
  const counts = new Array<number>(categories).fill(0);
  for (const s of samples) counts[s]!++;
  return counts.map((c) => c / samples.length);
}

export function samplingSuite(ctx: SuiteContext): void {
  const on = { device: ctx.name };
  describe('sampling', () => {
    it('multinomial with replacement follows the weights and never draws a zero weight', async () => {
      const weights = [0.1, 0, 0.6, 0.3];
      const samples = await drawn(ctx.name, 11, (g, device) => flint.multinomial(flint.tensor(weights, { ...f32, device }), 20000, { replacement: true, generator: g }));
      const freq = frequencies(samples, 4);
      expect(freq[1]).toBe(0);
      // Standard error of a frequency over 20000 draws is at most 0.0035: allow 5 of them.
      weights.forEach((p, i) => expect(Math.abs(freq[i]! - p), `category ${i}`).toBeLessThan(0.018));
    });

    it('multinomial without replacement draws distinct categories per row, first draws following the weights', async () => {
      const rows = 4000;
      const weights = [0.5, 0.25, 0, 0.125, 0.125];
      const samples = await drawn(ctx.name, 12, (g, device) =>
        flint.multinomial(flint.tensor(weights, { ...f32, device }).expand([rows, 5]), 3, { generator: g }));
      const firsts: number[] = [];
      for (let r = 0; r < rows; r++) {
        const row = samples.slice(r * 3, r * 3 + 3);
        expect(new Set(row).size, `row ${r} repeats a category`).toBe(3);
        expect(row.includes(2), `row ${r} drew a zero weight`).toBe(false);
        firsts.push(row[0]!);
      }
      const freq = frequencies(firsts, 5);
      weights.forEach((p, i) => expect(Math.abs(freq[i]! - p), `category ${i}`).toBeLessThan(0.04));
    });

    it('the same seed draws the same samples on this backend as on the reference', async () => {
      if (!ctx.reference) return;
      const draws: Array<(g: flint.Generator, device: string) => flint.Tensor> = [
        (g, device) => flint.multinomial(flint.tensor([[1, 2, 3, 0.5], [0, 0, 1, 1]], { ...f32, device }), 6, { replacement: true, generator: g }),
        (g, device) => flint.multinomial(flint.tensor([[1, 2, 3, 0.5], [0, 4, 1, 1]], { ...f32, device }), 3, { generator: g }),
        (g, device) => flint.bernoulli(flint.tensor([0, 0.25, 0.5, 1, 0.9], { ...f32, device }), { generator: g }),
        (g, device) => flint.normal(flint.tensor([0, 10], { ...f32, device }), 2, { generator: g }),
        (g, device) => flint.poisson(flint.tensor([0, 0.5, 4, 9.99, 10, 250, 3e5], { ...f32, device }), { generator: g }),
      ];
      for (const [i, draw] of draws.entries()) {
        expect(await drawn(ctx.name, 5 + i, draw), `draw ${i}`).toEqual(await drawn(ctx.reference, 5 + i, draw));
      }
    });

    it('bernoulli and normal follow their parameters; normal is differentiable in mean and std', async () => {
      const ones = await drawn(ctx.name, 3, (g, device) => flint.bernoulli(flint.full([20000], 0.3, { device }), { generator: g }));
      expect(Math.abs(ones.reduce((a, b) => a + b, 0) / ones.length - 0.3)).toBeLessThan(0.02);
      const mean = flint.tensor([1, -2], { ...f32, ...on, requiresGrad: true });
      const std = flint.tensor([0.5, 3], { ...f32, ...on, requiresGrad: true });
      const x = flint.normal(mean.expand([5000, 2]), std.expand([5000, 2]), { generator: new flint.Generator(4) });
      const values = Array.from(await x.data());
      for (const [c, [m, s]] of [[1, 0.5], [-2, 3]].entries()) {
        const column = values.filter((_, i) => i % 2 === c);
        const mu = column.reduce((a, b) => a + b, 0) / column.length;
        const sd = Math.sqrt(column.reduce((a, b) => a + (b - mu) ** 2, 0) / column.length);
        expect(Math.abs(mu - m!), `mean ${c}`).toBeLessThan((5 * s!) / Math.sqrt(column.length));
        expect(Math.abs(sd / s! - 1), `std ${c}`).toBeLessThan(0.05);
      }
      x.sum().backward();
      expect(await mean.grad!.tolist()).toEqual([5000, 5000]);
      [x, mean, std].forEach((t) => t.dispose());
    });

    it("nanoGPT's sampling loop, line for line: top-k crop, softmax, multinomial, cat", async () => {
      const vocab = 7;
      const blockSize = 4;
      const topK = 3;
      flint.manualSeed(1337);
      // The model: bigram logits, a fixed table.
      const table = flint.tensor(Array.from({ length: vocab }, (_, i) => Array.from({ length: vocab }, (_, j) => Math.sin(i * 7 + j * 3) * 3)), { ...f32, ...on });
      const model = (idx: flint.Tensor): flint.Tensor => flint.nn.functional.embedding(idx, table);
      let idx = flint.tensor([[0], [5]], { dtype: 'int32', ...on });
      const temperature = 0.8;
      for (let step = 0; step < 10; step++) {
        const next = flint.tidy(() => {
          const idxCond = idx.shape[1]! <= blockSize ? idx : idx.index(':', [-blockSize, null]);
          let logits = model(idxCond);
          logits = logits.index(':', -1, ':').div(temperature);
          const { values: v } = flint.topk(logits, Math.min(topK, logits.shape.at(-1)!));
          logits.maskedFill_(logits.lt(v.index(':', [-1, null])), -Infinity);
          const probs = flint.softmax(logits, -1);
          const idxNext = flint.multinomial(probs, 1);
          return flint.cat([idx, idxNext], 1);
        });
        idx.dispose();
        idx = next;
      }
      expect([...idx.shape]).toEqual([2, 11]);
      const tokens = (await idx.tolist()) as number[][];
      const rows = (await table.tolist()) as number[][];
      for (const row of tokens) {
        for (let t = 1; t < row.length; t++) {
          // Each token is among the top 3 successors of the one before it.
          const logits = rows[row[t - 1]!]!;
          const third = [...logits].sort((a, b) => b - a)[topK - 1]!;
          expect(logits[row[t]!]!, `token ${t} after ${row[t - 1]}`).toBeGreaterThanOrEqual(third);
        }
      }
      idx.dispose();
      table.dispose();
    });

    it('poisson follows the Poisson distribution below and above the switch between its two samplers', async () => {
      // One call for every rate keeps this quick on software GPU drivers.
      const rates = [3, 9.9, 10, 37.5, 1e6];
      const n = 8000;
      const all = await drawn(ctx.name, 21, (g, device) => flint.poisson(flint.tensor(rates, { ...f32, device }).reshape([-1, 1]).expand([rates.length, n]), { generator: g }));
      expect(all.every((s) => Number.isInteger(s) && s >= 0), 'non-negative integers').toBe(true);
      rates.slice(0, -1).forEach((rate, i) => {
        const samples = all.slice(i * n, (i + 1) * n);
        const { statistic, bins } = chiSquare(samples, poissonPmf(rate, Math.ceil(rate + 12 * Math.sqrt(rate) + 12)));
        // df = bins - 1; the bound sits about six standard deviations above the mean of chi-square.
        expect(statistic, `rate ${rate}: chi-square over ${bins} bins`).toBeLessThan(bins - 1 + 6 * Math.sqrt(2 * (bins - 1)));
      });
      const huge = all.slice(-n);
      const mean = huge.reduce((a, b) => a + b, 0) / n;
      const variance = huge.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      // Standard errors: sqrt(1e6 / 8000) = 11 for the mean, about 1e6 sqrt(2 / 8000) = 16000 for the variance.
      expect(Math.abs(mean - 1e6)).toBeLessThan(60);
      expect(Math.abs(variance - 1e6)).toBeLessThan(80000);
      expect(await drawn(ctx.name, 26, (g, device) => flint.poisson(flint.zeros([50], { device }), { generator: g }))).toEqual(new Array(50).fill(0));
      // SwiftShader takes about 50 s for these 40000 draws (lavapipe 5 s, the CPU backends under 1 s).
    }, 180_000);

    it('bad distributions are errors that name the op', () =>
      flint.tidy(() => {
        const p = flint.tensor([0.5, 0.5], { ...f32, ...on });
        const cube = flint.zeros([2, 2, 2], on);
        const ints = flint.tensor([1, 2], { dtype: 'int32', ...on });
        expectThrowsClean(() => flint.multinomial(cube, 1), /multinomial\(\): prob_dist must be 1 or 2 dim, got 3/);
        expectThrowsClean(() => flint.multinomial(ints, 1), /multinomial\(\): only supports floating-point dtypes for input, got: int32/);
        expectThrowsClean(() => flint.multinomial(p, 0), /multinomial\(\): cannot sample n_sample <= 0 samples/);
        expectThrowsClean(() => flint.multinomial(p, 3), /multinomial\(\): cannot sample n_sample > prob_dist.size\(-1\) samples without replacement \(3 > 2\)/);
        expectThrowsClean(() => new flint.distributions.Categorical({}), /Categorical\(\): Either `probs` or `logits` must be specified, but not both/);
        expectThrowsClean(() => flint.poisson(ints), /poisson\(\): expected a float32 tensor of rates, got int32/);
        if (!readsSynchronously(p)) return;
        const negative = flint.tensor([0.5, -0.5], { ...f32, ...on });
        const zeroRow = flint.tensor([0, 0], { ...f32, ...on });
        const oneNonzero = flint.tensor([0, 1], { ...f32, ...on });
        const beyondOne = flint.tensor([1.5], { ...f32, ...on });
        expectThrowsClean(() => flint.multinomial(negative, 1), /multinomial\(\): probability tensor contains either `inf`, `nan` or element < 0/);
        expectThrowsClean(() => flint.multinomial(zeroRow, 1, { replacement: true }), /multinomial\(\): invalid multinomial distribution \(sum of probabilities <= 0\)/);
        expectThrowsClean(() => flint.multinomial(oneNonzero, 2), /not enough non-negative category to sample/);
        expectThrowsClean(() => flint.bernoulli(beyondOne), /bernoulli\(\): Expected p_in >= 0 && p_in <= 1 to be true/);
        const badRates = flint.tensor([1, NaN], f32);
        const infiniteRate = flint.tensor([Infinity], f32);
        expectThrowsClean(() => flint.poisson(negative), /poisson\(\): invalid Poisson rate, expected rate to be finite and non-negative/);
        expectThrowsClean(() => flint.poisson(badRates), /poisson\(\): invalid Poisson rate/);
        expectThrowsClean(() => flint.poisson(infiniteRate), /poisson\(\): invalid Poisson rate/);
      }));
  });
}
