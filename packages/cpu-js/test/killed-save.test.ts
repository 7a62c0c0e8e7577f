/**
 * A process killed in the middle of flint.save() leaves its temporary file, never a partial
 * checkpoint; the next save of the same target removes the leftover.
 */
import * as flint from '@flint/core';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuJs } from '../src/index.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const child = fileURLToPath(new URL('child/save-forever.ts', import.meta.url));
const temps = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** Starts a saving child and SIGKILLs it as soon as its temporary file exists; resolves once it is dead. */
async function killMidSave(target: string): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=@flint/source', child, target], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const dir = join(target, '..');
  const deadline = Date.now() + 60_000;
  while (temps(dir).length === 0) {
    if (proc.exitCode !== null) throw new Error(`the saving child exited early: ${stderr}`);
    if (Date.now() > deadline) throw new Error('the saving child never started a save');
    await new Promise((r) => setTimeout(r, 2));
  }
  proc.kill('SIGKILL');
  await exited;
}

describe('flint.save killed mid-write', () => {
  let dir = '';
  beforeAll(async () => {
    flint.registerBackend(cpuJs);
    await flint.setBackend('cpu-js');
    dir = mkdtempSync(join(tmpdir(), 'flint-killed-save-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a named temporary file that the next save of the target removes', async () => {
    const target = join(dir, 'model.safetensors');
    // The kill can land just after a rename; try until one leaves its temporary file behind.
    for (let attempt = 0; attempt < 5 && temps(dir).length === 0; attempt++) await killMidSave(target);
    const [leftover] = temps(dir);
    expect(leftover).toMatch(/^\.model\.safetensors\.flint-save-\d+-[0-9a-f]{8}\.tmp$/);
    const w = flint.arange(6).reshape([2, 3]);
    await flint.save({ w }, target);
    expect(readdirSync(dir)).toEqual(['model.safetensors']);
    const loaded = await flint.load(target);
    expect(loaded.get('w')!.tolistSync()).toEqual([[0, 1, 2], [3, 4, 5]]);
    for (const t of [w, ...loaded.values()]) t.dispose();
  }, 120_000);
});
