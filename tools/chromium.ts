/** Headless Chromium for the browser tests (packages/wasm-simd, apps/playground), driven by playwright-core. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Flags for a root user on a machine without GPU or outside network. */
const ARGS = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export interface LaunchOptions {
  /**
   * Offer `navigator.gpu` (SwiftShader's software Vulkan, the only adapter on a machine without a
   * GPU); otherwise the GPU process is off.
   */
  readonly webgpu?: boolean;
}

/** Headless Chromium, which the test run's global setup (tools/system-setup.ts) installs. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run the tests through vitest, whose global setup installs Debian's chromium`);
  const args = [...ARGS, options.webgpu ? '--enable-unsafe-webgpu' : '--disable-gpu'];
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args, timeout: 60_000 });
  } catch (error) {
    throw new Error(`could not start ${CHROMIUM}: ${(error as Error).message}`);
  }
}
