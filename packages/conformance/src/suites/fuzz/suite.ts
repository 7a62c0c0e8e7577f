/**
 * The seeded cross-backend fuzzer. Every case is generated from (seed, index) and run on the
 * backend under test and on the reference backend, forward and (where an input is float32) the
 * gradients of `sum(out * w)`, and compared per op family (compare.ts). A call that throws must
 * throw on both with the same error. The reference backend itself (cpu-js) is never compared with
 * itself: it is checked against each case's float64 host computation and, for gradients, finite
 * differences of it (host-check.ts). Every case must leave no tensor or buffer behind.
 *
 * FLINT_FUZZ_SEED and FLINT_FUZZ_CASES override the seed and the number of cases; FLINT_FUZZ_CASE
 * runs one case alone. Failures are grouped by kind and op, a few one-line repros printed per group.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../../context.ts';
import { generateCase, type FuzzCase } from './catalogue.ts';
import { cancellationRtol, floatMax, sharedGradientRtol, gradientRtol, mismatch, toleranceOf, toleranceScale, type Result } from './compare.ts';
import { finiteDifferences, gradientMismatch, hostForward } from './host-check.ts';
import { execute, gradientInputs, hasGradient, repro, type Outcome } from './run.ts';
import { numel } from './values.ts';
import { flushCase, flushResult, involvesSubnormals } from './flush.ts';
import { fuzzSkipReason } from './skips.ts';

const defaultSeed = 20261203;
const defaultCases = 3000;
/** Cases run and read back together: reads are asynchronous on some backends, so batch them. */
const batchSize = 100;
const shownPerGroup = 3;

const envNumber = (name: string): number | undefined => {
  const v = typeof process === 'undefined' ? undefined : process.env[name];
  return v === undefined || v === '' ? undefined : Number(v);
};

interface Failure {
  readonly group: string;
  readonly line: string;
}

type Read = { readonly results: ReadonlyArray<Result | null>; readonly outShape: readonly number[] } | { readonly error: string };

async function read(outcome: Outcome): Promise<Read> {
  if ('error' in outcome) return outcome;
  try {
    const results = await Promise.all(outcome.tensors.map(async (t) => (t ? { shape: [...t.shape], dtype: t.dtype, data: await t.data() } : null)));
    return { results, outShape: outcome.outShape };
  } catch (err) {
    return { error: `read failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    for (const t of outcome.tensors) t?.dispose();
  }
}

const show = (r: Result | null | undefined): string => {
  if (!r) return 'null';
  const values = Array.from(r.data, (v) => (Object.is(v, -0) ? '-0' : String(v)));
  return `${r.dtype}[${r.shape.join(', ')}] ${values.length > 12 ? `${values.slice(0, 12).join(', ')}, ...` : values.join(', ')}`;
};
const showRead = (r: Read): string => ('error' in r ? `throws ${r.error}` : show(r.results[0]));

/** Live tensors and each started backend's buffers: what a case could leak. */
function held(): Record<string, number> {
  const m = flint.memory();
  return { tensors: m.tensors, ...Object.fromEntries(Object.entries(m.backends).map(([device, b]) => [`${device} buffers`, b.buffers])) };
}
const growth = (after: Record<string, number>, before: Record<string, number>): string =>
  Object.keys(after).filter((k) => after[k]! > (before[k] ?? 0)).map((k) => `${k} +${after[k]! - (before[k] ?? 0)}`).join(', ');

interface Judge {
  readonly c: FuzzCase;
  readonly seed: number;
  readonly gradient: boolean;
  readonly names: string;
}

function failure(j: Judge, what: string, outShape: readonly number[], detail: string): Failure {
  return {
    group: `${j.gradient ? 'gradient' : 'forward'} ${j.c.op}${what ? ` ${what}` : ''}`,
    line: `case ${j.c.index} ${j.names}: ${repro(j.c, j.seed, j.gradient, outShape)}  // ${detail}`,
  };
}

/**
 * The failure of comparing two reads of one case, if any. `anyError`: the expectation is a host
 * computation, whose error messages are not the backend's, so any error matches.
 */
function judge(j: Judge, got: Read, want: Read, anyError = false): Failure | undefined {
  const outShape = 'outShape' in want && want.outShape.length ? want.outShape : 'outShape' in got ? got.outShape : [];
  if ('error' in got || 'error' in want) {
    if ('error' in got && 'error' in want && (anyError || got.error === want.error)) return undefined;
    return failure(j, 'throws', outShape, `got ${showRead(got)}; want ${showRead(want)}`);
  }
  if (got.results.length !== want.results.length) return failure(j, '', outShape, `${got.results.length} results vs ${want.results.length}`);
  const family = toleranceOf(j.c.family, j.gradient);
  const base = j.c.absolute ? { ...family, atol: family.atol + j.c.absolute } : family;
  const fed = j.gradient ? gradientInputs(j.c) : [];
  for (let i = 0; i < want.results.length; i++) {
    const [a, e] = [got.results[i], want.results[i]];
    // An input element feeding several outputs (broadcast, expand) gets the sum of their terms,
    // which cancel in an order-dependent way: allow rounding of the largest gradient's size.
    const shared = e && fed[i] && numel(fed[i]!.host.shape) < numel(outShape);
    const tol = shared ? { ...base, atol: base.atol + sharedGradientRtol * largestFinite(e.data) } : base;
    const why = !a || !e ? (a === e ? undefined : `gradient ${a ? 'present' : 'missing'} vs ${e ? 'present' : 'missing'}`) : mismatch(a, e, tol, toleranceScale(j.c.scale, j.c.terms));
    if (!why) continue;
    // Partial sums past float32's range are infinite or finite depending on the summation order.
    const overflow = (j.c.partials ?? j.c.scale) >= floatMax && /Infinity|NaN/.test(why);
    return failure(j, overflow ? 'accumulation-overflow' : '', outShape, `${j.gradient ? `gradient ${i}: ` : ''}${why}; got ${show(a)}; want ${show(e)}`);
  }
  return undefined;
}

const largestFinite = (data: ArrayLike<number>): number => Array.from(data).reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);

/** The checks of one case on a backend that has a reference: forward and gradients, both sides. */
function crossChecks(c: FuzzCase, seed: number, device: string, reference: string): Array<Promise<Failure | undefined>> {
  return (hasGradient(c) ? [false, true] : [false]).map((gradient) => {
    const got = read(execute(c, seed, device, gradient));
    const want = read(execute(c, seed, reference, gradient));
    return Promise.all([got, want]).then(async ([g, w]) => {
      const j = { c, seed, gradient, names: `${device} vs ${reference}` };
      const failed = judge(j, g, w);
      if (!failed || 'error' in w || !involvesSubnormals(c, w.results)) return failed;
      // Does flushing subnormals explain it? Then it is grouped apart, for the drivers that flush.
      const flushed = await read(execute(flushCase(c), seed, reference, gradient));
      if ('error' in flushed) return failed;
      const explained = !judge(j, g, { ...flushed, results: flushed.results.map(flushResult) });
      return explained ? { ...failed, group: `${failed.group} subnormal` } : failed;
    });
  });
}

/** The checks of one case on the reference backend: against the host, forward and finite differences. */
function hostChecks(c: FuzzCase, seed: number, device: string): Array<Promise<Failure | undefined>> {
  const forward = read(execute(c, seed, device, false)).then((got) => {
    let want: Read;
    try {
      const out = hostForward(c);
      want = { results: [out], outShape: out.shape };
    } catch (err) {
      want = { error: `host: ${err instanceof Error ? err.message : String(err)}` };
    }
    return judge({ c, seed, gradient: false, names: `${device} vs host float64` }, got, want, true);
  });
  const estimates = finiteDifferences(c, seed);
  if (!estimates) return [forward];
  const gradient = read(execute(c, seed, device, true)).then((got): Failure | undefined => {
    const j = { c, seed, gradient: true, names: `${device} vs finite differences` };
    if ('error' in got) return failure(j, 'throws', [], `got throws ${got.error}`);
    const why = gradientMismatch(got.results.map((r) => r?.data ?? null), estimates, gradientRtol(c.family), c.cancels ? cancellationRtol : 0, c.absolute);
    return why ? failure(j, '', got.outShape, why) : undefined;
  });
  return [forward, gradient];
}

/** Reruns each case of a batch that grew memory alone, to name the ones that leak. */
async function findLeaks(cases: readonly FuzzCase[], run: (c: FuzzCase) => Array<Promise<Failure | undefined>>, seed: number, names: string): Promise<Failure[]> {
  const leaks: Failure[] = [];
  for (const c of cases) {
    const before = held();
    await Promise.all(run(c));
    const grew = growth(held(), before);
    if (grew) leaks.push({ group: `leak ${c.op}`, line: `case ${c.index} ${names}: ${repro(c, seed, false, [])}  // leaves ${grew} per run` });
  }
  return leaks;
}

export function fuzzSuite(ctx: SuiteContext): void {
  const seed = envNumber('FLINT_FUZZ_SEED') ?? defaultSeed;
  const only = envNumber('FLINT_FUZZ_CASE');
  const count = envNumber('FLINT_FUZZ_CASES') ?? defaultCases;
  const indices = only !== undefined ? [only] : Array.from({ length: count }, (_, i) => i);
  const reference = ctx.name === 'cpu-js' ? undefined : ctx.reference;
  const against = reference ?? 'host float64 and finite differences';
  const run = (c: FuzzCase) => (reference ? crossChecks(c, seed, ctx.name, reference) : hostChecks(c, seed, ctx.name));

  describe('fuzz', () => {
    it('a case is a function of (seed, index) alone, and its repro is one line', () => {
      const again = (i: number) => generateCase(seed, i);
      for (const i of [0, 1, 77, 1234]) {
        const [a, b] = [again(i), again(i)];
        expect(repro(a, seed, false, []), `case ${i}`).toBe(repro(b, seed, false, []));
        expect(repro(a, seed, true, [1]), `case ${i}`).not.toContain('\n');
      }
      expect(repro(again(1), seed, false, [])).not.toBe(repro(again(2), seed, false, []));
    });
    it(`${indices.length} cases seeded ${seed}: ${ctx.name} agrees with ${against}`, async () => {
      const failures: Failure[] = [];
      let checked = 0;
      for (let start = 0; start < indices.length; start += batchSize) {
        const cases = indices.slice(start, start + batchSize).map((i) => generateCase(seed, i));
        const before = held();
        const pending = cases.flatMap(run);
        checked += pending.length;
        for (const f of await Promise.all(pending)) if (f) failures.push(f);
        if (growth(held(), before)) failures.push(...(await findLeaks(cases, run, seed, ctx.name)));
      }
      const unexplained = failures.filter((f) => !fuzzSkipReason(ctx.name, f.group));
      const explained = failures.length - unexplained.length;
      if (explained) console.info(`fuzz ${ctx.name}: ${explained} case(s) in reviewed skip groups: ${[...new Set(failures.filter((f) => fuzzSkipReason(ctx.name, f.group)).map((f) => f.group))].join('; ')}`);
      const groups = new Map<string, string[]>();
      for (const f of unexplained) groups.set(f.group, [...(groups.get(f.group) ?? []), f.line]);
      const report = [...groups].map(([group, lines]) => `${group}: ${lines.length} case(s)\n${lines.slice(0, shownPerGroup).map((l) => `  ${l}`).join('\n')}`).join('\n');
      expect(checked, 'checks run').toBeGreaterThan(0);
      expect(unexplained.length, `${unexplained.length} divergence(s) in ${groups.size} group(s) of ${checked} checks, seed ${seed}\n${report}`).toBe(0);
    }, 600_000);
  });
}
