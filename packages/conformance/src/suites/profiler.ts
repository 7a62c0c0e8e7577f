/**
 * flint.profiler: counts, nesting, bytes and shapes of what it records (never timings), and that
 * the backends run uninstrumented again once a profile ends.
 */
import * as flint from '@flint/core';
import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.ts';

const kernels = (prof: flint.profiler.Profile, name: string): flint.profiler.ProfilerEvent[] => prof.events.filter((e) => e.kind === 'kernel' && e.name === name);

export function profilerSuite(ctx: SuiteContext): void {
  describe('profiler', () => {
    it('counts each kernel call once, names it by method and op code, and records shapes when asked', async () => {
      const [a, b] = flint.tidy(() => [flint.keep(flint.ones([2, 3])), flint.keep(flint.ones([3, 4]))]);
      const prof = await flint.profiler.profile(
        () =>
          flint.tidy(() => {
            for (let i = 0; i < 3; i++) a!.add(a!);
            a!.matmul(b!);
            a!.matmul(b!);
          }),
        { recordShapes: true },
      );
      const adds = kernels(prof, 'binary.add');
      expect(adds).toHaveLength(3);
      for (const e of adds) {
        expect(e.device).toBe(ctx.name);
        expect(e.shapes).toEqual([[2, 3], [2, 3]]);
      }
      expect(kernels(prof, 'matmul')).toHaveLength(2);
      // At least one: a registered backend that delegates to this one syncs it too.
      expect(kernels(prof, 'sync').filter((e) => e.device === ctx.name).length).toBeGreaterThan(0);
      const stats = prof.keyAverages().find((s) => s.name === 'binary.add')!;
      expect(stats.calls).toBe(3);
      expect(prof.keyAverages({ groupByInputShape: true }).filter((s) => s.name === 'binary.add')).toHaveLength(1);
      const table = prof.table({ groupByInputShape: true });
      expect(table).toMatch(/binary\.add\s.*\s3\s.*\[2, 3\], \[2, 3\]/);
      a!.dispose();
      b!.dispose();
    });

    it('records no shapes by default, and each kernel that makes a tensor adds its bytes', async () => {
      const prof = await flint.profiler.profile(() => flint.full([64, 64], 2).dispose());
      const [fill] = kernels(prof, 'fill');
      expect(fill?.shapes).toBeNull();
      expect(fill?.bytes).toBe(64 * 64 * 4);
      // Frees of earlier tests' tensors (a backend's deferred release, the garbage-collection
      // backstop) may land inside the window too; the tensor made here is freed exactly once.
      const frees = kernels(prof, 'free');
      expect(frees.filter((e) => e.bytes === -64 * 64 * 4)).toHaveLength(1);
      for (const e of frees) expect(e.bytes).toBeLessThan(0);
    });

    it('nests kernels under autograd backward nodes and recordFunction scopes', async () => {
      const x = flint.tidy(() => flint.keep(flint.ones([4]).requiresGrad_()));
      const prof = await flint.profiler.profile(() =>
        flint.tidy(() => {
          const y = flint.profiler.recordFunction('forward', () => x.mul(3).sum());
          y.backward();
        }),
      );
      const byName = (name: string): flint.profiler.ProfilerEvent[] => prof.events.filter((e) => e.name === name);
      const [forward] = byName('forward');
      expect(forward?.kind).toBe('scope');
      const forwardIndex = prof.events.indexOf(forward!);
      const inside = prof.events.filter((e) => e.parent === forwardIndex);
      expect(inside.map((e) => e.name)).toEqual(expect.arrayContaining(['binary.mul', 'reduce.sum']));
      for (const e of inside) expect(e.depth).toBe(forward!.depth + 1);
      expect(forward!.selfDuration).toBeLessThanOrEqual(forward!.duration);
      // Children lie inside their parent one after another; 1e-9 ms covers the rounding of summing their differences.
      expect(forward!.duration + 1e-9).toBeGreaterThanOrEqual(inside.reduce((sum, e) => sum + e.duration, 0));
      expect(byName('MulBackward').map((e) => e.kind)).toEqual(['backward']);
      expect(byName('SumBackward').map((e) => e.kind)).toEqual(['backward']);
      const mulBackward = prof.events.indexOf(byName('MulBackward')[0]!);
      expect(prof.events.some((e) => e.parent === mulBackward && e.kind === 'kernel')).toBe(true);
      expect(x.grad).not.toBeNull();
      x.dispose();
    });

    it("nests a module's kernels under its forward, named by its class, inside its container's", async () => {
      const model = new flint.nn.Sequential(new flint.nn.Linear(4, 3), new flint.nn.ReLU());
      const prof = await flint.profiler.profile(() => flint.tidy(() => model.forward(flint.ones([2, 4]))));
      const modules = prof.events.filter((e) => e.kind === 'module');
      expect(modules.map((e) => e.name)).toEqual(['Sequential', 'Linear', 'ReLU']);
      const sequential = prof.events.indexOf(modules[0]!);
      expect(modules.slice(1).map((e) => e.parent)).toEqual([sequential, sequential]);
      const linear = prof.events.indexOf(modules[1]!);
      expect(prof.events.filter((e) => e.parent === linear && e.kind === 'kernel').map((e) => e.name)).toContain('matmul');
      model.dispose();
    });

    it('puts every backend method back when a profile ends, also when its function throws', async () => {
      const backend = flint.backendFor(ctx.name) as unknown as Record<string, unknown>;
      const before = Object.fromEntries(Object.entries(backend));
      await expect(flint.profiler.profile(() => {
        expect(backend.binary).not.toBe(before.binary);
        throw new Error('step failed');
      })).rejects.toThrow('step failed');
      expect(Object.fromEntries(Object.entries(backend))).toEqual(before);
      for (const key of Object.keys(before)) expect(backend[key], key).toBe(before[key]);
    });

    it('exports the events as a Chrome trace', async () => {
      const prof = await flint.profiler.profile(() => flint.tidy(() => flint.ones([8]).exp()));
      const trace = JSON.parse(prof.chromeTrace()) as { traceEvents: Array<{ name: string; ph: string; ts: number; dur: number; cat: string }> };
      expect(trace.traceEvents).toHaveLength(prof.events.length);
      expect(trace.traceEvents.map((e) => e.name)).toEqual(prof.events.map((e) => e.name));
      for (const e of trace.traceEvents) {
        expect(e.ph).toBe('X');
        expect(e.dur).toBeGreaterThanOrEqual(0);
      }
      expect(trace.traceEvents.find((e) => e.name === 'unary.exp')?.cat).toBe('kernel');
    });

    it('errors: nested profiles, non-functions and async recordFunction', async () => {
      await flint.profiler.profile(async () => {
        await expect(flint.profiler.profile(() => {})).rejects.toThrow('profile(): a profile is already running; profiles do not nest');
      });
      await expect(flint.profiler.profile(3 as unknown as () => void)).rejects.toThrow(new TypeError('profile(): expected a function, but got number'));
      expect(() => flint.profiler.recordFunction('x', async () => {})).toThrow('recordFunction(): the function is async');
      expect(() => flint.profiler.recordFunction('', () => {})).toThrow(new TypeError('recordFunction(): name must be a non-empty string'));
      expect(flint.profiler.recordFunction('outside a profile', () => 7)).toBe(7);
    });
  });
}
