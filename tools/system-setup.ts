/**
 * Installs every system dependency of the test suite, once, before any test file runs (vitest's
 * globalSetup). Test files only point at what is installed here, so no test depends on another
 * having run first:
 * - Debian's `libvulkan1` (the Vulkan loader Dawn opens) and `chromium` (headless browser tests, and
 *   SwiftShader's Vulkan driver, the webgpu suite's second software driver);
 * - Mesa's lavapipe, the first software Vulkan driver, unpacked into `.cache/lavapipe`;
 * - Debian's `python3-torch`, and OpenBLAS unpacked into `.cache/openblas`: the bench's PyTorch
 *   reference system, whose tests check that it computes what flint computes.
 * Idempotent and quick when everything is present; installing needs root and apt.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './debian.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where lavapipe's driver file lands; packages/webgpu/test/driver.ts points Dawn at it. */
export const LAVAPIPE_DIR = `${repoRoot}.cache/lavapipe`;

const DEBIAN_PACKAGES = ['libvulkan1', 'chromium', 'python3-torch'];

function installed(pkg: string): boolean {
  try {
    const status = execFileSync('dpkg-query', ['-W', '-f=${db:Status-Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return status.trim() === 'installed';
  } catch {
    return false;
  }
}

export function setup(): void {
  const missing = DEBIAN_PACKAGES.filter((pkg) => !installed(pkg));
  if (missing.length > 0) {
    process.stderr.write(`test setup: installing Debian's ${missing.join(', ')}\n`);
    aptInstall(...missing);
  }
  execFileSync('bash', [`${repoRoot}packages/webgpu/scripts/setup-lavapipe.sh`], {
    env: { ...process.env, DEST: LAVAPIPE_DIR },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync('bash', [`${repoRoot}apps/bench/scripts/setup-pytorch.sh`], {
    env: { ...process.env, DEST: `${repoRoot}.cache/openblas` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
