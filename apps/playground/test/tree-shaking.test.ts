/**
 * Tree-shaking of @flint/core as a bundler sees it (`sideEffects: false`): a consumer that imports
 * only `tensor` and `add` gets neither nn, optim nor data; one that uses nn gets it (so the markers
 * below do name code the bundle would hold).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

/** Classes of nn, optim and data, which an unminified bundle declares under their own names. */
const MARKERS = ['Module', 'Linear', 'Conv2d', 'Adam', 'DataLoader', 'TensorDataset'];

/** Where the consumers and their bundles are written (inside the app, so that @flint/core resolves). */
const artifacts = fileURLToPath(new URL('artifacts/', import.meta.url));

/** The unminified ES bundle of a consumer module `name` whose source is `code`, also written next to it. */
async function bundle(name: string, code: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const entry = `${artifacts}${name}.js`;
  writeFileSync(entry, code);
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    // Core's TypeScript sources, as in the app's build.
    resolve: { conditions: ['@flint/source', 'module', 'browser', 'import', 'default'] },
    build: { write: false, minify: false, lib: { entry, formats: ['es'] } },
  })) as Rolldown.RolldownOutput[];
  const { code: bundled } = output[0]!.output[0];
  writeFileSync(`${artifacts}${name}.bundle.js`, bundled);
  return bundled;
}

/** The markers `code` declares (`class Linear`, or `var Linear = class` as rolldown writes it). */
const present = (code: string): string[] => MARKERS.filter((name) => new RegExp(`\\b(class|var|let|const) ${name}\\b`).test(code));

describe('@flint/core in a bundle', () => {
  it('gives a consumer of tensor and add no nn, optim or data code, at under 40% of the size of all of core', async () => {
    const [small, full] = await Promise.all([
      bundle('tensor-add', "import { tensor, add } from '@flint/core';\nexport const three = add(tensor([1]), tensor([2]));\n"),
      bundle('all-of-core', "import * as flint from '@flint/core';\nexport default flint;\n"),
    ]);
    expect(present(full)).toEqual(MARKERS);
    expect(present(small)).toEqual([]);
    expect(small.length).toBeLessThan(full.length * 0.4);
  }, 60_000);
});
