import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The page script, bundled with @flint/core and @flint/wasm-simd from their TypeScript sources. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@flint/source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** The headers that make a page cross-origin isolated, so that it may share wasm memory with workers. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const HTML = '<!doctype html><meta charset="utf-8"><title>flint wasm-simd</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>';

/** A local server of the page: `/isolated` with the isolation headers, `/plain` without them. */
export interface PageServer {
  /** Origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `script` as /page.js and the two pages that load it, on a free port of 127.0.0.1. */
export async function servePage(script: string): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/page.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    } else if (path === '/isolated' || path === '/plain') {
      response.writeHead(200, { 'Content-Type': 'text/html', ...(path === '/isolated' ? ISOLATION : {}) }).end(HTML);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
