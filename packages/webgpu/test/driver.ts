/**
 * Makes sure the tests run on a real WebGPU adapter. Where none is found (CI machines have no GPU)
 * it points the Vulkan loader at Mesa's lavapipe, a software Vulkan driver; SwiftShader, from
 * Debian's chromium package, is the second driver. Both are installed by the test run's global
 * setup (tools/system-setup.ts) before any test file starts. It never settles for no adapter: the
 * conformance run then fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAVAPIPE_DIR } from '../../../tools/system-setup.ts';

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

/** Mesa warns on every start without a private runtime directory. */
function privateRuntimeDir(): void {
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'flint-xdg-'));
}

/** Points VK_DRIVER_FILES at `icd`, failing clearly when the setup did not install it. */
function useDriverFile(icd: string, what: string): void {
  if (!existsSync(icd)) throw new Error(`${what} is not installed (${icd}): run the tests through vitest, whose global setup installs it`);
  process.env.VK_DRIVER_FILES = icd;
}

/** Points VK_DRIVER_FILES at lavapipe unless a driver is already configured or found. */
export function ensureDriver(): void {
  privateRuntimeDir();
  if (process.env.VK_DRIVER_FILES || hasAdapter()) return;
  useDriverFile(join(LAVAPIPE_DIR, 'lvp_icd.json'), "Mesa's lavapipe");
}

/** The Vulkan driver file of SwiftShader, as Debian's chromium package installs it. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points VK_DRIVER_FILES at SwiftShader, the second software driver the suite runs on. */
export function useSwiftShader(): void {
  privateRuntimeDir();
  useDriverFile(SWIFTSHADER_ICD, "SwiftShader (Debian's chromium package)");
}
