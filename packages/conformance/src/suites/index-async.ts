/**
 * The fixtures of bool-mask indexing and nonzero (fixtures/index.json, from PyTorch), run through
 * `nonzeroAsync` on every backend, as a backend that cannot read synchronously must run them: the
 * mask's coordinates first, then indexing with them.
 */
import * as flint from '@flint/core';
import { describe, it } from 'vitest';
import type { SuiteContext } from '../context.ts';
import { decode, expectClose, exact } from '../helpers.ts';
import { loadFixtures } from './fixtures.ts';

const coords = async (mask: flint.Tensor): Promise<flint.Tensor[]> => (await flint.nonzeroAsync(mask, { asTuple: true })) as flint.Tensor[];

export function indexAsyncSuite(ctx: SuiteContext): void {
  const cases = loadFixtures().get('index') ?? [];
  const fixture = (name: string) => {
    const c = cases.find((x) => x.name === name);
    if (!c) throw new Error(`no fixture ${name}`);
    return { c, inputs: c.inputs.map((e) => decode(e, ctx.name)) };
  };
  describe('indexing through nonzeroAsync', () => {
    it('x[mask] and x[:, mask] with the mask coordinates read asynchronously', async () => {
      for (const [name, before] of [['index bool mask full', 0], ['index bool rows', 0], ['index bool inner mask', 1]] as const) {
        const { c, inputs } = fixture(name);
        const [x, mask] = inputs as [flint.Tensor, flint.Tensor];
        const columns = await coords(mask);
        const out = x.index(...new Array<flint.AdvancedIndexSpec>(before).fill(':'), ...columns);
        await expectClose(out, c.output, exact, name);
        [x, mask, out, ...columns].forEach((t) => t.dispose());
      }
    });

    it('x[mask] = 0.5, maskedSelect and nonzero, asynchronously', async () => {
      {
        const { c, inputs } = fixture('setIndex mask scalar value');
        const [x, mask] = inputs as [flint.Tensor, flint.Tensor];
        const columns = await coords(mask);
        const out = x.clone().setIndex(columns, 0.5);
        await expectClose(out, c.output, exact, c.name);
        [x, mask, out, ...columns].forEach((t) => t.dispose());
      }
      {
        const { c, inputs } = fixture('maskedSelect broadcast');
        const [x, mask] = inputs as [flint.Tensor, flint.Tensor];
        const full = mask.expand(x.shape);
        const columns = await coords(full);
        const out = x.index(...columns);
        await expectClose(out, c.output, exact, c.name);
        [x, mask, full, out, ...columns].forEach((t) => t.dispose());
      }
      for (const name of ['nonzero', 'nonzero int32 3-D', 'argwhere bool']) {
        const { c, inputs } = fixture(name);
        const out = (await flint.nonzeroAsync(inputs[0]!)) as flint.Tensor;
        await expectClose(out, c.output, exact, name);
        [out, ...inputs].forEach((t) => t.dispose());
      }
    });
  });
}
