import { describe, it, expect } from 'vitest';
import * as flint from '@flint/core';
import type { Backend } from '@flint/core';

describe('backend registry (no backend registered in this file)', () => {
  it('an op before any backend is ready names the fix', () => {
    expect(() => flint.zeros([2])).toThrow(/No flint backend is ready.*flint\.init\(\)/);
  });

  it('init() without registered backends explains what to import', async () => {
    await expect(flint.init()).rejects.toThrow(/no backend is registered/);
  });

  it('setBackend() with an unknown name lists the registered ones', async () => {
    flint.registerBackend({ name: 'broken', aliases: ['b'], priority: 5, factory: () => Promise.reject(new Error('no adapter')) });
    await expect(flint.setBackend('nope')).rejects.toThrow(/Unknown backend 'nope'.*broken\/b/);
  });

  it('init() falls through a backend that fails to start, and reports every failure', async () => {
    await expect(flint.init()).rejects.toThrow(/broken: no adapter/);
    const fake = { name: 'fake' } as unknown as Backend;
    flint.registerBackend({ name: 'fake', aliases: [], priority: 1, factory: () => fake });
    expect(await flint.init()).toBe(fake);
    expect(flint.getBackendName()).toBe('fake');
  });

  it('FLINT_BACKEND picks the backend and a failure is not masked', async () => {
    process.env.FLINT_BACKEND = 'b';
    try {
      await expect(flint.init()).rejects.toThrow(/no adapter/);
    } finally {
      delete process.env.FLINT_BACKEND;
    }
  });

  it('a registered but unstarted backend asks to be started', () => {
    flint.registerBackend({ name: 'later', aliases: [], priority: 0, factory: () => ({ name: 'later' }) as unknown as Backend });
    expect(() => flint.backendFor('later')).toThrow(/not started.*setBackend\('later'\)/);
  });
});
