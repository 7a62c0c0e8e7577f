/**
 * Every PyTorch-made fixture in fixtures/*.json: the forward value, then (as its own case) the
 * gradients of sum(out * w) against torch.autograd, then agreement with the reference backend.
 * Each case runs in a scope and must leave the backend holding no more buffers than before.
 */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { decode, tidyChecks, type Checks, type Encoded } from '../helpers.ts';
import { opTables, readAheadTable, type OpFn } from '../tables/index.ts';
import { forwardTolerance, gradientTolerance } from '../tolerances.ts';
import { skipReason } from '../skips.ts';
import type { SuiteContext } from '../context.ts';
import { opFamily } from '../families.ts';

export interface FixtureCase {
  name: string;
  op: string;
  inputs: Encoded[];
  args: Record<string, unknown>;
  output: Encoded;
  gradWeight?: Encoded;
  grads?: Array<Encoded | null>;
}

/** All fixture files, by name (ops, nn, ...). */
export function loadFixtures(): Map<string, FixtureCase[]> {
  const dir = fileURLToPath(new URL('../../fixtures/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return new Map(files.map((f) => [f.slice(0, -5), (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { cases: FixtureCase[] }).cases]));
}

function buffers(device: string): number {
  return flint.memory().backends[device]?.buffers ?? 0;
}

/**
 * Runs `fn` in a tidy scope and asserts the backend holds no more buffers afterwards; then awaits
 * the value checks `fn` queued.
 */
async function leakChecked(device: string, fn: (check: Checks) => void): Promise<void> {
  const before = buffers(device);
  await tidyChecks((check) => fn(check));
  expect(buffers(device), 'buffers held after the case').toBe(before);
}

/**
 * The flint form of the case's op on `device`: where the backend cannot read synchronously and the
 * op needs to, the form that reads ahead asynchronously (tables/read-ahead.ts).
 */
async function opFor(c: FixtureCase, device: string): Promise<OpFn> {
  const readAhead = readAheadTable[c.op];
  if (readAhead && !flint.backendFor(device).readSync) {
    const inputs = flint.tidy(() => c.inputs.map((e) => decode(e, device)));
    try {
      return await readAhead(inputs, c.args);
    } finally {
      for (const t of inputs) t.dispose();
    }
  }
  const fn = opTables[c.op];
  expect(fn, `no flint mapping for fixture op ${c.op}`).toBeDefined();
  return fn!;
}

/** Runs `fn` for the case on `device`; returns its inputs (leaves when `withGrad`) and output. */
function runCase(c: FixtureCase, fn: OpFn, device: string, withGrad: boolean): { leaves: flint.Tensor[]; out: flint.Tensor } {
  const leaves = c.inputs.map((e) => {
    const t = decode(e, device);
    return withGrad && t.dtype === 'float32' ? t.requiresGrad_(true) : t;
  });
  return { leaves, out: fn(leaves, c.args) };
}

/** Groups a file's cases by op family, keeping the file's order within each family. */
function byFamily(file: string, cases: readonly FixtureCase[]): Map<string, FixtureCase[]> {
  const groups = new Map<string, FixtureCase[]>();
  for (const c of cases) {
    const family = opFamily(c.op, file);
    groups.set(family, [...(groups.get(family) ?? []), c]);
  }
  return groups;
}

export function fixtureSuite(ctx: SuiteContext): void {
  for (const [file, cases] of loadFixtures()) {
    for (const [family, members] of byFamily(file, cases)) {
      describe(`fixtures: ${family}`, () => {
        for (const c of members) fixtureCases(ctx, c);
      });
    }
  }
}

/** The forward, gradient and cross-backend cases of one fixture. */
function fixtureCases(ctx: SuiteContext, c: FixtureCase): void {
  const reason = skipReason(ctx.name, c.name);
  const test = reason ? it.skip : it;
  const note = reason ? ` (skipped: ${reason})` : '';
  test(`${c.name}: forward${note}`, async () => {
    const fn = await opFor(c, ctx.name);
    await leakChecked(ctx.name, (check) => check.close(runCase(c, fn, ctx.name, false).out, c.output, forwardTolerance(c.op), 'forward'));
  });
  if (c.grads && c.gradWeight) {
    const grads = c.grads;
    const weight = c.gradWeight;
    test(`${c.name}: gradient${note}`, async () => {
      const fn = await opFor(c, ctx.name);
      await leakChecked(ctx.name, (check) => {
        const { leaves, out } = runCase(c, fn, ctx.name, true);
        out.mul(decode(weight, ctx.name)).sum().backward();
        grads.forEach((g, i) => {
          if (!g) return;
          expect(leaves[i]!.grad, `gradient of input ${i}`).not.toBeNull();
          check.close(leaves[i]!.grad!, g, gradientTolerance(c.op), `grad[${i}]`);
        });
      });
    });
  }
  const reference = ctx.reference;
  if (reference && reference !== ctx.name) {
    test(`${c.name}: agrees with ${reference}${note}`, async () => {
      // The reference runs with its own backend as the default, so layers are built on it directly.
      await flint.setBackend(reference);
      let theirs: flint.Tensor;
      try {
        const fn = await opFor(c, reference);
        theirs = flint.tidy(() => runCase(c, fn, reference, false).out);
      } finally {
        await flint.setBackend(ctx.name);
      }
      const fn = await opFor(c, ctx.name);
      try {
        await leakChecked(ctx.name, (check) => {
          const mine = runCase(c, fn, ctx.name, false).out;
          check.close(mine, { shape: theirs.shape, dtype: theirs.dtype, data: theirs.data() }, forwardTolerance(c.op), `vs ${reference}`);
        });
      } finally {
        theirs.dispose();
      }
    });
  }
}
