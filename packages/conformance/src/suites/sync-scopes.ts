/**
 * Scopes that take a function (tidy, noGrad, enableGrad) reject async ones before they run, and
 * the loop that forgets tidy is warned about once.
 */
import * as flint from '@flint/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SuiteContext } from '../context.ts';

type Scope = (fn: () => unknown) => unknown;
const scopes: Array<[string, Scope]> = [
  ['tidy', (fn) => flint.tidy(fn)],
  ['noGrad', (fn) => flint.noGrad(fn)],
  ['enableGrad', (fn) => flint.enableGrad(fn)],
];

/** Lets pending callbacks and the microtasks they queue run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

export function syncScopesSuite(_ctx: SuiteContext): void {
  describe('memory: async functions and forgotten tidy', () => {
    afterEach(() => vi.restoreAllMocks());

    for (const [name, scope] of scopes) {
      it(`${name}(async fn) throws before the function runs`, () => {
        const before = flint.memory().tensors;
        let ran = false;
        const body = async (): Promise<void> => {
          ran = true;
          flint.ones([4]);
        };
        expect(() => scope(body)).toThrow(new TypeError(`${name}(): the function is async; ${name} only covers synchronous work, since JavaScript cannot follow a function across an await. Await outside and pass the synchronous part, e.g. for await (const batch of loader) flint.${name}(() => step(batch));`));
        expect(ran).toBe(false);
        expect(flint.memory().tensors).toBe(before);
      });

      it(`${name}() of a function that returns a Promise throws, and its later rejection is reported once, not left unhandled`, async () => {
        const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
        process.on('unhandledRejection', onUnhandled);
        try {
          const before = flint.memory().tensors;
          const failure = new Error('the batch never came');
          const body = (): Promise<never> => {
            flint.ones([4]).mul(2);
            return settle().then(() => Promise.reject(failure));
          };
          expect(() => scope(body)).toThrow(`${name}(): the function returned a Promise; ${name} only covers synchronous work`);
          expect(flint.isGradEnabled()).toBe(true);
          if (name === 'tidy') expect(flint.memory().tensors).toBe(before);
          await settle();
          await settle();
          expect(unhandled).toEqual([]);
          expect(warn).toHaveBeenCalledTimes(1);
          expect(warn).toHaveBeenCalledWith(`${name}(): the abandoned async function rejected later:`, failure);
        } finally {
          process.off('unhandledRejection', onUnhandled);
        }
      });

      it(`${name}() rejects what is not a function`, () => {
        expect(() => scope(3 as unknown as () => unknown)).toThrow(new TypeError(`${name}(): expected a function, but got number`));
      });
    }

    /** `steps` backward() calls on a tiny model, each in its own tidy or (as a forgetful loop) not. */
    function train(steps: number, tidy: boolean): void {
      const w = flint.ones([3], { requiresGrad: true });
      for (let i = 0; i < steps; i++) {
        const step = (): void => w.mul(2).sum().backward();
        if (tidy) flint.tidy(step);
        else {
          const before = flint.memory().tensors;
          step();
          expect(flint.memory().tensors).toBeGreaterThan(before);
        }
      }
    }

    it('a loop that keeps tensors from every backward() is warned about once, naming the growth and flint.tidy', () => {
      flint.setGrowthWarning(true);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const start = flint.memory().tensors;
      const kept = flint.tidy(() => flint.keep(flint.zeros([1])));
      try {
        // Inside an outer tidy, so that what the loop keeps is freed when the test ends.
        flint.tidy(() => train(450, false));
        expect(warn).toHaveBeenCalledTimes(1);
        const message = String(warn.mock.calls[0]![0]);
        expect(message).toMatch(/^flint: live tensors grew from \d+ to \d+ over the last 200 backward\(\) calls \(\d+\.\d per step\)/);
        expect(message).toContain('Wrap each step in flint.tidy');
        expect(message).toContain('flint.setGrowthWarning(false)');
      } finally {
        kept.dispose();
      }
      expect(flint.memory().tensors).toBe(start);
    });

    it('a tidy loop, or a loop with the warning switched off, is not warned about', () => {
      flint.setGrowthWarning(true);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      flint.tidy(() => train(450, true));
      expect(warn).not.toHaveBeenCalled();
      flint.setGrowthWarning(false);
      flint.tidy(() => train(450, false));
      expect(warn).not.toHaveBeenCalled();
      flint.setGrowthWarning(true);
      expect(() => flint.setGrowthWarning('no' as unknown as boolean)).toThrow(new TypeError('setGrowthWarning(): expected a boolean, but got string'));
    });
  });
}
