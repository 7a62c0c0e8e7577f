import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Flags for a root user on a machine without GPU or outside network. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Headless Chromium, which the test run's global setup (tools/system-setup.ts) installs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run the tests through vitest, whose global setup installs Debian's chromium`);
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  } catch (error) {
    throw new Error(`could not start ${CHROMIUM}: ${(error as Error).message}`);
  }
}
