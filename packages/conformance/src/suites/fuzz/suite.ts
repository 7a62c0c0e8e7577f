/**
 * The seeded cross-backend fuzzer. Every case is generated from (seed, index), run on the backend
 * under test and on the reference backend, forward and (where an input is float32) the gradients
 * of `sum(out * w)`, and compared per op family (compare.ts). A call that throws must throw on
 * both with the same error. On the reference backend itself (cpu-js, or no reference given) cases
 * with an independent host computation (oracle.ts) are checked against it instead.
 *
 * FLINT_FUZZ_SEED and FLINT_FUZZ_CASES override the seed and the number of cases; FLINT_FUZZ_CASE
 * runs one case alone. Failures are grouped by kind and op, a few one-line repros printed per group.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../../context.ts';
import { expectNoGrowth } from '../../helpers.ts';
import { generateCase, type FuzzCase } from './catalogue.ts';
import { mismatch, toleranceOf, type Result } from './compare.ts';
import { execute, hasGradient, repro, type Outcome } from './run.ts';
import { fuzzSkipReason } from './skips.ts';

const defaultSeed = 20261203;
const defaultCases = 2000;
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
    if ('tensors' in outcome) for (const t of outcome.tensors) t?.dispose();
  }
}

const show = (r: Result | null | undefined): string => (!r ? 'null' : `${r.dtype}[${r.shape.join(', ')}] ${r.data.length > 12 ? `${Array.from(r.data).slice(0, 12).join(', ')}, ...` : Array.from(r.data).join(', ')}`);

/** The failure of comparing two reads of one case, if any. */
function judge(c: FuzzCase, seed: number, gradient: boolean, got: Read, want: Read, names: string): Failure | undefined {
  const kind = gradient ? 'gradient' : 'forward';
  const outShape = 'outShape' in want ? want.outShape : 'outShape' in got ? got.outShape : [];
  const fail = (what: string, detail: string): Failure => ({
    group: `${kind} ${c.op}${what ? ` ${what}` : ''}`,
    line: `case ${c.index} ${names}: ${repro(c, seed, gradient, outShape)}  // ${detail}`,
  });
  if ('error' in got || 'error' in want) {
    if ('error' in got && 'error' in want && got.error === want.error) return undefined;
    return fail('throws', `${'error' in got ? got.error : show(got.results[0])} vs ${'error' in want ? want.error : show(want.results[0])}`);
  }
  if (got.results.length !== want.results.length) return fail('', `${got.results.length} results vs ${want.results.length}`);
  const tol = toleranceOf(c.family, gradient);
  for (let i = 0; i < want.results.length; i++) {
    const [a, e] = [got.results[i], want.results[i]];
    const why = !a || !e ? (a === e ? undefined : `gradient ${a ? 'present' : 'missing'} vs ${e ? 'present' : 'missing'}`) : mismatch(a, e, tol, c.scale);
    if (why) return fail('', `${gradient ? `gradient ${i}: ` : ''}${why}; got ${show(a)}; want ${show(e)}`);
  }
  return undefined;
}

/** Live tensors and each started backend's buffers: what a case could leak. */
function held(): Record<string, number> {
  const m = flint.memory();
  return { tensors: m.tensors, ...Object.fromEntries(Object.entries(m.backends).map(([device, b]) => [`${device} buffers`, b.buffers])) };
}

export function fuzzSuite(ctx: SuiteContext): void {
  const seed = envNumber('FLINT_FUZZ_SEED') ?? defaultSeed;
  const only = envNumber('FLINT_FUZZ_CASE');
  const count = envNumber('FLINT_FUZZ_CASES') ?? defaultCases;
  const indices = only !== undefined ? [only] : Array.from({ length: count }, (_, i) => i);
  const selfCheck = ctx.reference === undefined || ctx.name === 'cpu-js';
  const against = selfCheck ? 'host oracles' : ctx.reference!;

  describe('fuzz', () => {
    it(`${indices.length} cases seeded ${seed}: ${ctx.name} agrees with ${against}`, async () => {
      const before = held();
      const failures: Failure[] = [];
      let checked = 0;
      for (let start = 0; start < indices.length; start += batchSize) {
        const cases = indices.slice(start, start + batchSize).map((i) => generateCase(seed, i));
        const pending: Array<Promise<Failure | undefined>> = [];
        for (const c of cases) {
          if (selfCheck) {
            if (!c.oracle) continue;
            const oracle = c.oracle;
            const got = read(execute(c, seed, ctx.name, false));
            pending.push(got.then((g) => {
              let want: Read;
              try {
                want = { results: [oracle(c.inputs.map((i) => i.host))], outShape: [] };
              } catch (err) {
                want = { error: String(err) };
              }
              return judge(c, seed, false, g, want, `${ctx.name} vs host`);
            }));
            continue;
          }
          for (const gradient of hasGradient(c) ? [false, true] : [false]) {
            const got = read(execute(c, seed, ctx.name, gradient));
            const want = read(execute(c, seed, ctx.reference!, gradient));
            pending.push(Promise.all([got, want]).then(([g, w]) => judge(c, seed, gradient, g, w, `${ctx.name} vs ${ctx.reference}`)));
          }
        }
        checked += pending.length;
        for (const f of await Promise.all(pending)) if (f) failures.push(f);
      }
      expectNoGrowth(held(), before, 'fuzz cases');
      const unexplained = failures.filter((f) => !fuzzSkipReason(ctx.name, f.group));
      const groups = new Map<string, string[]>();
      for (const f of unexplained) groups.set(f.group, [...(groups.get(f.group) ?? []), f.line]);
      const report = [...groups].map(([group, lines]) => `${group}: ${lines.length} case(s)\n${lines.slice(0, shownPerGroup).map((l) => `  ${l}`).join('\n')}`).join('\n');
      expect(checked, 'checks run').toBeGreaterThan(0);
      expect(unexplained.length, `${unexplained.length} divergence(s) in ${groups.size} group(s) of ${checked} checks\n${report}`).toBe(0);
    }, 600_000);
  });
}
