import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureDriver, useSwiftShader } from './driver.ts';

// Work enqueued without an await must not pile up driver objects that only the event loop frees:
// a million dispatches in a row once crashed lavapipe (out of memory mappings, SIGSEGV) after
// about 65,000. Each run is a child process, so that a crash is an exit code.
ensureDriver();
const lavapipe = process.env.VK_DRIVER_FILES!;
useSwiftShader();
const swiftShader = process.env.VK_DRIVER_FILES!;

const child = fileURLToPath(new URL('./dispatch-storm-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Peak resident memory allowed, in bytes. What stays resident is the runtime and driver themselves
 * (about 180 MiB) plus the work queued ahead of the software driver, which executes dispatches
 * more slowly than the loop enqueues them: peaks of 0.6-0.85 GiB were seen for a million
 * dispatches on either driver. When every dispatch kept a bind group until the event loop turned,
 * the chain of a million peaked at 2.3 GiB under SwiftShader (lavapipe crashed long before).
 */
const PEAK_RSS_BYTES = 1.5 * 2 ** 30;

interface Outcome {
  readonly value: number;
  readonly expected: number;
  readonly dispatches: number;
  readonly peakRssBytes: number;
}

function storm(driverFile: string, mode: 'inPlace' | 'chain', dispatches: number): Outcome {
  const run = spawnSync(process.execPath, ['--import', 'tsx/esm', '--conditions=@flint/source', child, mode, String(dispatches)], {
    cwd: packageDir,
    env: { ...process.env, VK_DRIVER_FILES: driverFile, FLINT_BACKEND: 'webgpu' },
    encoding: 'utf8',
    timeout: 280_000,
  });
  const detail = `signal ${run.signal}, stderr: ${run.stderr.slice(-2000)}`;
  expect(run.status, detail).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Outcome;
}

describe.each([
  ['lavapipe', lavapipe],
  ['SwiftShader', swiftShader],
])('webgpu (%s): dispatches without an await', (_, driverFile) => {
  it('a million in-place adds complete with bounded memory and the right value', { timeout: 300_000 }, () => {
    const outcome = storm(driverFile, 'inPlace', 1_000_000);
    expect(outcome.dispatches).toBeGreaterThanOrEqual(1_000_000);
    expect(outcome.value).toBe(outcome.expected);
    expect(outcome.peakRssBytes).toBeLessThan(PEAK_RSS_BYTES);
  });

  it('a million dispatches of tidy(() => x.add(1).mul(2).relu()) with dropped results complete with bounded memory', { timeout: 300_000 }, () => {
    const outcome = storm(driverFile, 'chain', 1_000_000);
    expect(outcome.dispatches).toBeGreaterThanOrEqual(1_000_000);
    expect(outcome.value).toBe(outcome.expected);
    expect(outcome.peakRssBytes).toBeLessThan(PEAK_RSS_BYTES);
  });
});
