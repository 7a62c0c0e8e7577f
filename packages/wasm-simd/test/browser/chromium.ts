import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { aptInstall } from '../../../../tools/debian.ts';

/** Where Debian's chromium package puts the browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Flags for a root user on a machine without GPU or outside network. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Headless Chromium, installed first where missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) aptInstall('chromium');
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  } catch (error) {
    throw new Error(`could not start ${CHROMIUM}: ${(error as Error).message}`);
  }
}
