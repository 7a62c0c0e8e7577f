/**
 * Makes sure the tests run on a real WebGPU adapter. Where none is found (CI machines have no GPU)
 * it installs Mesa's lavapipe, a software Vulkan driver, with scripts/setup-lavapipe.sh and points
 * the Vulkan loader at it. It never settles for no adapter: the conformance run then fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Whether Dawn finds an adapter with the current environment (asked in a child process, so this one's loader is untouched). */
function hasAdapter(): boolean {
  const probe = "import { create } from 'webgpu'; const a = await create([]).requestAdapter(); process.exit(a && a.info.device !== 'null-backend' ? 0 : 1);";
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: packageDir, stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Points VK_DRIVER_FILES at lavapipe unless a driver is already configured or found. */
export function ensureDriver(): void {
  // Mesa warns on every start without a private runtime directory.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'flint-xdg-'));
  if (process.env.VK_DRIVER_FILES || hasAdapter()) return;
  const icd = execFileSync('bash', [join(packageDir, 'scripts/setup-lavapipe.sh')], {
    env: { ...process.env, DEST: join(packageDir, '../../.cache/lavapipe') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  process.env.VK_DRIVER_FILES = icd;
}
