import { defaultClientConditions, defineConfig } from 'vite';
import { mnistFiles } from './plugins/mnist-files.ts';
import { textFiles } from './plugins/text-files.ts';

/**
 * Cross-origin isolation: with these two headers the page may share wasm memory with Web Workers,
 * so wasm-simd splits large products over threads. Without them it runs on one thread.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  // The workspace packages from their TypeScript sources, so the page needs no prior package build.
  resolve: { conditions: ['@flint/source', ...defaultClientConditions] },
  plugins: [mnistFiles(), textFiles()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  build: {
    target: 'es2022',
    rolldownOptions: {
      output: {
        // One chunk per flint package (and one for uPlot), so that the build's size report lists each.
        codeSplitting: {
          groups: [
            { debugName: 'flint packages', name: (id) => id.match(/packages\/(core|cpu-js|wasm-simd|webgpu)\//)?.[0].replace('packages/', 'flint-').slice(0, -1) ?? null },
            { name: 'uplot', test: /node_modules[\\/]uplot/ },
          ],
        },
      },
    },
  },
});
