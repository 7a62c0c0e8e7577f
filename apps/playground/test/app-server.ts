/** The playground built with `vite build` and served by `vite preview` on 127.0.0.1, as a visitor gets it. */
import { fileURLToPath } from 'node:url';
import { build, createLogger, preview } from 'vite';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** Builds the app into `outDir`, quietly; returns what the build warned about (nothing, for a clean build). */
export async function buildApp(outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = logger.warn;
  await build({ configFile, logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true } });
  return warnings;
}

export interface AppServer {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the build in `outDir` on a free port, with the config's cross-origin isolation headers,
 * or, when `isolated` is false, with the browser defaults instead, as a host that cannot set them.
 */
export async function serveApp(outDir: string, { isolated }: { isolated: boolean }): Promise<AppServer> {
  const headers = isolated ? {} : { 'Cross-Origin-Opener-Policy': 'unsafe-none', 'Cross-Origin-Embedder-Policy': 'unsafe-none' };
  const server = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false, headers } });
  return { url: server.resolvedUrls!.local[0]!, close: () => server.close() };
}
