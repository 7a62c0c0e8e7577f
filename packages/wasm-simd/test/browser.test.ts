import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/chromium.ts';
import type { PageReport } from './browser/page.ts';
import { bundlePage, servePage, type PageServer } from './browser/server.ts';
import { expectClose } from './helpers.ts';

/** Rounding bound of a float32 dot product of depth K = 512 (page.ts), relative to sum |a_k b_k|. */
const PRODUCT_BOUND = (512 + 1) * 2 ** -24;

/** Installing Chromium (when missing) takes minutes; starting it, seconds. */
const START_TIMEOUT_MS = 600_000;

describe('in headless Chromium', () => {
  let started: Promise<{ browser: Browser; server: PageServer }> | undefined;
  const reports = new Map<string, Promise<PageReport>>();

  /** The page server and the browser, started by the first test that needs them (so a failure fails the tests). */
  async function start(): Promise<{ browser: Browser; server: PageServer }> {
    const server = await servePage(await bundlePage());
    return { server, browser: await launchChromium() };
  }

  afterAll(async () => {
    const { browser, server } = (await started?.catch(() => undefined)) ?? {};
    await browser?.close();
    await server?.close();
  });

  /** The report of page `path` (loaded once), failing with the page's own errors. */
  async function open(path: string): Promise<PageReport> {
    started ??= start();
    const { browser, server } = await started;
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    try {
      await page.goto(server.origin + path);
      await page.waitForFunction('globalThis.report !== undefined', undefined, { timeout: 30_000 });
      return (await page.evaluate('globalThis.report')) as PageReport;
    } catch (error) {
      throw new Error(`${path}: ${(error as Error).message}\npage errors: ${errors.join('\n') || 'none'}`);
    } finally {
      await page.close();
    }
  }
  const report = (path: string): Promise<PageReport> => {
    if (!reports.has(path)) reports.set(path, open(path));
    return reports.get(path)!;
  };

  it('a cross-origin isolated page splits products over Web Workers, bit for bit as on one thread', async () => {
    const r = await report('/isolated');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.threads).toBeGreaterThanOrEqual(2);
    expect(r.splitMismatches).toBe(0);
    expect(r.productError).toBeLessThanOrEqual(PRODUCT_BOUND);
    expect(r.losses.two).toEqual(r.losses.one);
    expect(r.losses.one.every(Number.isFinite)).toBe(true);
    expect(r.losses.one.at(-1)!).toBeLessThan(r.losses.one[0]!);
  }, START_TIMEOUT_MS);

  it('a page without isolation runs on one thread, with the same results', async () => {
    const plain = await report('/plain');
    const isolated = await report('/isolated');
    expect(plain.crossOriginIsolated).toBe(false);
    expect(plain.threads).toBe(1);
    expect(plain.productError).toBeLessThanOrEqual(PRODUCT_BOUND);
    // The isolated page may use fused multiply-add (relaxed SIMD), so the two agree within rounding.
    expectClose(plain.product, isolated.product, 1e-4, 1e-4);
    expectClose(plain.losses.one, isolated.losses.one, 1e-4);
    expect(plain.losses.two).toEqual(plain.losses.one);
  }, START_TIMEOUT_MS);
});
