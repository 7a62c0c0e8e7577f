/**
 * The playground in headless Chromium, built and served as a visitor gets it: trains on wasm-simd
 * (with worker threads, the page being cross-origin isolated) and on webgpu (SwiftShader), then
 * classifies digits drawn with the mouse, and round-trips the weights through a safetensors file;
 * and in the text tab, trains the character GPT on wasm-simd and samples text from it.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tools/chromium.ts';
import { buildApp, serveApp, type AppServer } from './app-server.ts';
import type { PlaygroundStatus } from '../src/status.ts';
import { DIGITS, type Stroke } from './strokes.ts';

const artifacts = fileURLToPath(new URL('artifacts/', import.meta.url));
const dist = fileURLToPath(new URL('../dist', import.meta.url));
/** Installing Chromium (when missing) takes minutes; starting it and building the app, seconds. */
const START_TIMEOUT_MS = 600_000;
/** A run takes 5-40 s here alone; the software GPU slows down a lot when the cores are shared. */
const TRAIN_TIMEOUT_MS = 300_000;

interface Run {
  readonly backend: string;
  readonly model: 'mlp' | 'cnn';
  readonly trainSize: number;
  readonly batchSize: number;
  /** Test accuracy (on all 10000 test images) the run must beat after its one epoch. */
  readonly accuracy: number;
}

/**
 * One epoch on the first images of the training set, Adam at lr 0.003, seed 0. Seen here: the
 * MLP at 0.878 after 3200 images (50 steps) on wasm-simd, and 0.824 after 1600 (25 steps) on
 * webgpu, whose software driver runs about 3 steps a second; the CNN at 0.870 after 2560
 * (40 steps) on wasm-simd.
 */
const RUNS: readonly Run[] = [
  { backend: 'wasm-simd', model: 'mlp', trainSize: 3200, batchSize: 64, accuracy: 0.85 },
  { backend: 'webgpu', model: 'mlp', trainSize: 1600, batchSize: 64, accuracy: 0.78 },
  { backend: 'wasm-simd', model: 'cnn', trainSize: 2560, batchSize: 64, accuracy: 0.83 },
];

/** The text tab's run: steps of batch 16 at the page's default learning rate (AdamW, 5e-3, a tenth of them warmup). */
const TEXT_STEPS = 200;
/** How far the mean of the last ten losses must fall below the first (nats); seen: from 4.50 to 2.45. */
const TEXT_LOSS_FALL = 1.5;
const SAMPLE_LENGTH = 120;

describe('the playground in headless Chromium', () => {
  let warnings: string[];
  let server: AppServer;
  let browser: Browser;
  /** Console errors and uncaught exceptions of every page, which must stay empty. */
  const errors: string[] = [];
  /** Class probabilities of each drawn digit after the wasm-simd run, and its weights file. */
  const wasm: { probabilities?: Map<number, number[]>; weights?: string } = {};

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    warnings = await buildApp(dist);
    server = await serveApp(dist, { isolated: true });
    browser = await launchChromium({ webgpu: true });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(url = server.url): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 760 }, acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__playground.state !== 'loading', undefined, { timeout: 60_000 });
    return page;
  }

  const status = (page: Page): Promise<PlaygroundStatus> => page.evaluate(() => window.__playground);
  const byId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

  /** Draws `strokes` on a cleared pad with the mouse; the probabilities of the finished drawing. */
  async function draw(page: Page, strokes: readonly Stroke[]): Promise<number[]> {
    await byId(page, 'clear').click();
    const box = (await byId(page, 'pad').boundingBox())!;
    const before = (await status(page)).predictions;
    for (const stroke of strokes) {
      const [first, ...rest] = stroke.map(([x, y]) => [box.x + x * box.width, box.y + y * box.height] as const);
      await page.mouse.move(...first!);
      await page.mouse.down();
      for (const point of rest) await page.mouse.move(...point, { steps: 4 });
      await page.mouse.up();
    }
    await page.waitForFunction((n) => !window.__playground.predicting && window.__playground.predictions > n, before);
    return (await status(page)).probabilities!;
  }

  /** Probabilities of every digit in {@link DIGITS}, checking that each gets its own class. */
  async function drawAll(page: Page): Promise<Map<number, number[]>> {
    const seen = new Map<number, number[]>();
    for (const [digit, strokes] of DIGITS) {
      const probabilities = await draw(page, strokes);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect({ digit, predicted: probabilities.indexOf(Math.max(...probabilities)) }).toEqual({ digit, predicted: digit });
      seen.set(digit, probabilities);
    }
    return seen;
  }

  it('is cross-origin isolated, builds without warnings, and offers wasm-simd with threads and webgpu', async () => {
    expect(warnings).toEqual([]);
    const page = await open();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const { state, backends } = await status(page);
    expect(state).toBe('idle');
    expect(backends.map((b) => [b.name, b.available])).toEqual([['wasm-simd', true], ['webgpu', true], ['cpu-js', true]]);
    // Two cores here: the page's thread pool uses both.
    expect(backends[0]!.detail).toMatch(/^([2-9]|\d\d+) threads/);
    await page.close();
  }, START_TIMEOUT_MS);

  it('without the isolation headers, runs wasm-simd on one thread and says why', async () => {
    const plain = await serveApp(dist, { isolated: false });
    try {
      const page = await open(plain.url);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      const { backends } = await status(page);
      expect(backends[0]!.detail).toMatch(/^1 thread, .*page not cross-origin isolated$/);
      await byId(page, 'train-size').fill('640');
      await byId(page, 'train').click();
      await page.waitForFunction(() => ['done', 'error'].includes(window.__playground.state), undefined, { timeout: TRAIN_TIMEOUT_MS });
      const s = await status(page);
      expect([s.error, s.backend, s.losses.length]).toEqual([null, 'wasm-simd', 10]);
      await page.close();
    } finally {
      await plain.close();
    }
    expect(errors).toEqual([]);
  }, TRAIN_TIMEOUT_MS);

  for (const run of RUNS) {
    it(`trains the ${run.model.toUpperCase()} on ${run.backend}: the loss falls, test accuracy beats ${run.accuracy}, drawn digits get their class`, async () => {
      const page = await open();
      await byId(page, 'backend').selectOption(run.backend);
      await byId(page, 'model').selectOption(run.model);
      await byId(page, 'lr').fill('0.003');
      await byId(page, 'batch-size').fill(String(run.batchSize));
      await byId(page, 'epochs').fill('1');
      await byId(page, 'train-size').fill(String(run.trainSize));
      await byId(page, 'train').click();
      await page.waitForFunction(() => ['done', 'error'].includes(window.__playground.state), undefined, { timeout: TRAIN_TIMEOUT_MS });
      const s = await status(page);
      expect(s.error).toBeNull();
      expect(s.backend).toBe(run.backend);
      const steps = run.trainSize / run.batchSize;
      expect(s.losses).toHaveLength(steps);
      expect(s.losses.every(Number.isFinite)).toBe(true);
      // Small initial weights guess all ten classes alike: a loss near ln 10 = 2.30 at the first step.
      expect(s.losses[0]!).toBeGreaterThan(2);
      const lastFive = s.losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
      expect(lastFive).toBeLessThan(1);
      expect(s.testAccuracy).toHaveLength(1);
      expect(s.testAccuracy[0]!).toBeGreaterThan(run.accuracy);
      expect(await byId(page, 'progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(1);
      const probabilities = await drawAll(page);
      await page.screenshot({ path: `${artifacts}playground-${run.model}-${run.backend}.png` });
      if (run === RUNS[0]) {
        const download = page.waitForEvent('download');
        await byId(page, 'save').click();
        wasm.weights = `${artifacts}${(await download).suggestedFilename()}`;
        await (await download).saveAs(wasm.weights);
        wasm.probabilities = probabilities;
      }
      await page.close();
      expect(errors).toEqual([]);
    }, TRAIN_TIMEOUT_MS);
  }

  it(`trains the character GPT on wasm-simd in the text tab for ${TEXT_STEPS} steps: the loss falls, samples of the requested length appear`, async () => {
    const page = await open();
    await page.waitForFunction(() => window.__playground.text.state !== 'loading');
    await byId(page, 'tab-text').click();
    await byId(page, 'backend').selectOption('wasm-simd');
    await byId(page, 'text-steps').fill(String(TEXT_STEPS));
    await byId(page, 'text-sample-every').fill(String(TEXT_STEPS / 2));
    await byId(page, 'text-length').fill(String(SAMPLE_LENGTH));
    await byId(page, 'text-train').click();
    const finished = () => ['done', 'error'].includes(window.__playground.text.state) && !window.__playground.text.sampling;
    await page.waitForFunction(finished, undefined, { timeout: TRAIN_TIMEOUT_MS });
    // Once trained, the Sample button draws one more from the model as it ended.
    await byId(page, 'text-sample').click();
    await page.waitForFunction((n) => window.__playground.text.samples.length > n && !window.__playground.text.sampling, 1);
    const { error, text } = await status(page);
    expect([error, text.state, text.backend]).toEqual([null, 'done', 'wasm-simd']);
    // The book's 89 distinct characters, and a model of 2 layers of width 64 (embeddings 89x64 and 64x64, 12 weights and biases a layer, final norm).
    expect(text.vocabulary).toHaveLength(89);
    expect(text.parameters).toBe(89 * 64 + 2 * (2 * 64 + 64 * 192 + 192 + 64 * 64 + 64 + 2 * 64 + 64 * 256 + 256 + 256 * 64 + 64) + 2 * 64);
    expect(text.losses).toHaveLength(TEXT_STEPS);
    // Small initial weights guess all 89 characters alike: ln 89 = 4.49 at the first step.
    expect(text.losses[0]!).toBeGreaterThan(4.3);
    const lastTen = text.losses.slice(-10).reduce((a, b) => a + b, 0) / 10;
    console.log(`text tab: first loss ${text.losses[0]}, mean of the last ten ${lastTen}, ${text.stepsPerSecond.toFixed(1)} steps/s; ${JSON.stringify(text.samples.at(-1)!.text)}`);
    expect(lastTen).toBeLessThan(text.losses[0]! - TEXT_LOSS_FALL);
    expect(text.stepsPerSecond).toBeGreaterThan(0);
    // Every TEXT_STEPS / 2 steps, the last step included, then the one asked for.
    expect(text.samples.map((s) => [s.step, s.prompt, s.text.length])).toEqual([TEXT_STEPS / 2, TEXT_STEPS, 0].map((step) => [step, 'Call me ', SAMPLE_LENGTH]));
    for (const sample of text.samples) expect([...sample.text].filter((c) => !text.vocabulary.includes(c))).toEqual([]);
    expect(await byId(page, 'text-sample-output').textContent()).toBe(`Call me ${text.samples[2]!.text}`);
    // A bad setting is reported and draws nothing: the samples and the text shown stay.
    await byId(page, 'text-temperature').fill('0');
    await byId(page, 'text-sample').click();
    await page.waitForFunction(() => window.__playground.error !== null);
    expect(await byId(page, 'text-message').textContent()).toBe('Error: temperature should be a number from 0.01 to 10, got 0');
    expect((await status(page)).text.samples).toHaveLength(3);
    expect(await byId(page, 'text-sample-output').textContent()).toBe(`Call me ${text.samples[2]!.text}`);
    await page.screenshot({ path: `${artifacts}playground-text-wasm-simd.png` });
    await page.close();
    expect(errors).toEqual([]);
  }, TRAIN_TIMEOUT_MS);

  it('loads the saved weights into a fresh page, which classifies the drawings as the trained page did', async () => {
    expect(wasm.weights).toMatch(/flint-mnist-mlp\.safetensors$/);
    const page = await open();
    await byId(page, 'backend').selectOption('wasm-simd');
    await byId(page, 'load').setInputFiles(wasm.weights!);
    await page.waitForFunction(() => window.__playground.model !== null);
    for (const [digit, strokes] of DIGITS) {
      const probabilities = await draw(page, strokes);
      probabilities.forEach((p, i) => expect(p).toBeCloseTo(wasm.probabilities!.get(digit)![i]!, 6));
    }
    await page.close();
    expect(errors).toEqual([]);
  }, TRAIN_TIMEOUT_MS);
});
