/**
 * A Vite plugin that serves data files made at build time: from memory in `vite` (dev), and copied
 * into the build so that `vite preview` or any static host serves them from `dist/`.
 */
import type { Plugin } from 'vite';

/** Each file's path under the page (e.g. `mnist/t10k-labels-idx1-ubyte`) and how to read its bytes. */
export type StaticFiles = Readonly<Record<string, () => Uint8Array | string>>;

export function staticFiles(name: string, files: StaticFiles, contentType: string): Plugin {
  return {
    name: `flint-playground:${name}`,
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const read = files[request.url?.split('?')[0]?.slice(1) ?? ''];
        if (!read) return next();
        response.setHeader('Content-Type', contentType);
        response.end(read());
      });
    },
    generateBundle() {
      for (const [fileName, read] of Object.entries(files)) this.emitFile({ type: 'asset', fileName, source: read() });
    },
  };
}
