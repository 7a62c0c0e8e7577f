import { defineConfig } from 'vitest/config';

const conditions = ['@flint/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tools/test/*.test.ts'],
    reporters: ['default', './tools/count-reporter.ts'],
    // System packages and software drivers the tests need, installed before any test file runs.
    globalSetup: ['./tools/system-setup.ts'],
    testTimeout: 60_000,
  },
});
