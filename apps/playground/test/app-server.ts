/** The playground built with `vite build` and served by `vite preview` on 127.0.0.1, as a visitor gets it. */
import { fileURLToPath } from 'node:url';
import { build, createLogger, preview, type PreviewServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface AppServer {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** What the build warned about (an empty list is a clean build). */
  readonly warnings: readonly string[];
  close(): Promise<void>;
}

/** Builds the app into `outDir` (quietly, collecting warnings) and serves it on a free port. */
export async function buildAndServe(outDir: string): Promise<AppServer> {
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = logger.warn;
  const configFile = `${root}vite.config.ts`;
  await build({ configFile, logLevel: 'warn', customLogger: logger, build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1000 } });
  const server: PreviewServer = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, open: false } });
  return { url: server.resolvedUrls!.local[0]!, warnings, close: () => server.close() };
}
