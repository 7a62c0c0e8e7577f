import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Flags for a root user on a machine without GPU or outside network. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Installs Debian's chromium package (root, apt) when it is missing; throws saying so when that fails. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const apt = (...args: string[]): void => {
    execFileSync('apt-get', ['-q', '-o', 'DPkg::Lock::Timeout=600', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  };
  try {
    apt('update');
    apt('install', '-y', '--no-install-recommends', 'chromium');
  } catch (error) {
    throw new Error(`${CHROMIUM} is missing and installing Debian's chromium package failed: ${(error as Error).message}`);
  }
}

/** Headless Chromium, installed first where missing. */
export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  } catch (error) {
    throw new Error(`could not start ${CHROMIUM}: ${(error as Error).message}`);
  }
}
