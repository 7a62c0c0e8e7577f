/** Runs a group of export tests once per backend, each with that backend as the default. */
import * as flint from '@flint/core';
import '@flint/cpu-js';
import '@flint/wasm-simd';
import { beforeAll, describe } from 'vitest';

/** The backends every export test runs on. */
export const BACKENDS = ['cpu-js', 'wasm-simd'] as const;

export function onBackends(title: string, body: () => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} (${backend})`, () => {
      beforeAll(async () => {
        await flint.setBackend(backend);
        flint.manualSeed(0);
      });
      body();
    });
  }
}
