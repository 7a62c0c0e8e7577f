/**
 * Run by dispatch-storm.test.ts in a child process, so that a crash is an exit code rather than a
 * dead test runner. Enqueues work without one await until `argv[3]` dispatches are reached, then
 * reads the result once and prints `{ value, expected, dispatches, peakRssBytes }` as JSON.
 * - `inPlace`: `acc.add_(1)` on a one-element tensor, the cheapest op (three dispatches a step);
 * - `chain`: `tidy(() => x.add(1).mul(2).relu())` with its result dropped, as users write it (each
 *   result is freed only by the garbage collector's backstop, once the event loop turns).
 */
import * as flint from '@flint/core';
import type { WebGpuBackend } from '../src/index.ts';
import '../src/index.ts';

const [mode, target] = [process.argv[2], Number(process.argv[3])];
const backend = (await flint.setBackend('webgpu')) as WebGpuBackend;
const start = backend.stats.dispatches;
let value: number;
let expected: number;
if (mode === 'inPlace') {
  const acc = flint.zeros([1]);
  let steps = 0;
  while (backend.stats.dispatches - start < target) {
    acc.add_(1);
    steps++;
  }
  value = (await acc.data())[0]!;
  expected = steps;
} else if (mode === 'chain') {
  const x = flint.tensor([-3, 0.5, 2]);
  while (backend.stats.dispatches - start < target) flint.tidy(() => x.add(1).mul(2).relu());
  value = (await flint.tidy(() => x.add(1).mul(2).relu()).data())[2]!;
  expected = (2 + 1) * 2;
} else {
  throw new Error(`dispatch-storm-child: unknown mode ${mode}`);
}
const dispatches = backend.stats.dispatches - start;
// resourceUsage reports the peak resident set in kilobytes.
console.log(JSON.stringify({ value, expected, dispatches, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
