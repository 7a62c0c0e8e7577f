/** Every PyTorch-made fixture: forward values, then gradients of sum(out * w) against torch.autograd. */
import * as flint from '@flint/core';
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, expectClose, type Encoded } from '../helpers.ts';
import { opsTable } from '../ops-table.ts';
import { forwardTolerance, gradientTolerance } from '../tolerances.ts';
import { skipReason } from '../skips.ts';
import type { SuiteContext } from '../context.ts';

interface Case {
  name: string;
  op: string;
  inputs: Encoded[];
  args: Record<string, unknown>;
  output: Encoded;
  gradWeight?: Encoded;
  grads?: Array<Encoded | null>;
}

function loadCases(): Case[] {
  const path = fileURLToPath(new URL('../../fixtures/ops.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: Case[] }).cases;
}

export function fixtureSuite(ctx: SuiteContext): void {
  describe('PyTorch fixtures', () => {
    for (const c of loadCases()) {
      const reason = skipReason(ctx.name, c.name);
      const test = reason ? it.skip : it;
      test(`${c.name}${reason ? ` (skipped: ${reason})` : ''}`, () => {
        const fn = opsTable[c.op];
        expect(fn, `no flint mapping for fixture op ${c.op}`).toBeDefined();
        flint.tidy(() => {
          const inputs = c.inputs.map((e) => decode(e, ctx.name));
          const leaves = inputs.map((t) => (c.grads && t.dtype === 'float32' ? t.requiresGrad_(true) : t));
          const out = fn!(leaves, c.args);
          expectClose(out, c.output, forwardTolerance(c.op), 'forward');
          if (!c.grads || !c.gradWeight) return;
          out.mul(decode(c.gradWeight, ctx.name)).sum().backward();
          c.grads.forEach((g, i) => {
            if (!g) return;
            const grad = leaves[i]!.grad;
            expect(grad, `gradient of input ${i}`).not.toBeNull();
            expectClose(grad!, g, gradientTolerance(c.op), `grad[${i}]`);
          });
        });
      });
    }
  });
}
