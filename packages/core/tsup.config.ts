import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

export default defineConfig({
  ...packageBuild,
  // DataLoader worker threads start from dist/data-worker.js, which node-worker.ts finds beside the bundle.
  entry: { index: 'src/index.ts', 'data-worker': 'src/data/data-worker.ts' },
  // import.meta.url in the CommonJS build, so require('@flint/core') can start workers too.
  shims: true,
  // Tensors and scopes are Disposable (`using t = ...`): the declarations name Symbol.dispose, so
  // they pull in the library that declares it rather than requiring every app to list it.
  dts: { ...(packageBuild.dts as object), banner: '/// <reference lib="esnext.disposable" />' },
});
