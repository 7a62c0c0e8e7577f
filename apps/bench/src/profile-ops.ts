/**
 * `pnpm bench --profile-ops`: instead of timing, runs each chosen cell's flint step under
 * flint.profiler and prints where a step's time goes, kernel by kernel.
 */
import * as flint from '@flint/core';
import type { Cell } from './harness.ts';
import { loadAdapter, type System } from './systems/index.ts';

const WARM_STEPS = 3;
const PROFILED_STEPS = 5;

/** Prints, for every flint system and cell, the op table of {@link PROFILED_STEPS} steps. */
export async function profileOps(systems: readonly System[], cells: readonly Cell[], rowLimit: number): Promise<void> {
  for (const s of systems.filter((x) => x.library === 'flint')) {
    for (const cell of cells) {
      const adapter = await loadAdapter(s);
      const instance = await adapter.prepare(cell.workload.data(cell.size, cell.threads));
      if (instance.remote) continue;
      for (let i = 0; i < WARM_STEPS; i++) await instance.step();
      const prof = await flint.profiler.profile(async () => {
        for (let i = 0; i < PROFILED_STEPS; i++) await instance.step();
      });
      instance.dispose();
      process.stdout.write(`\n${s.name} ${cell.workload.name} ${cell.workload.label(cell.size, cell.threads)}: ${PROFILED_STEPS} steps\n`);
      process.stdout.write(`${prof.table({ sortBy: 'selfTime', rowLimit })}\n`);
    }
  }
}
