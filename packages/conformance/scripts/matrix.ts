/**
 * Runs every backend's conformance suite and writes the backend x family table into the root
 * README between the conformance-matrix markers. Run from the repo root: `pnpm matrix`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
}

const root = process.cwd();
const START = '<!-- conformance-matrix:start -->';
const END = '<!-- conformance-matrix:end -->';

// Every package's conformance runs: conformance.test.ts, and variants such as a second driver's.
const suites = readdirSync(join(root, 'packages')).flatMap((p) => {
  const dir = join('packages', p, 'test');
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir))
    .filter((f) => /^conformance.*\.test\.ts$/.test(f))
    .map((f) => join(dir, f));
});

const out = join(mkdtempSync(join(tmpdir(), 'flint-matrix-')), 'results.json');
spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${out}`, ...suites], { cwd: root, stdio: 'inherit' });
const results = JSON.parse(readFileSync(out, 'utf8')) as { testResults: Array<{ assertionResults: Assertion[] }> };

/** cells[family][backend] = counts and skip reasons. */
const cells = new Map<string, Map<string, { passed: number; failed: number; skipped: string[] }>>();
const backends = new Set<string>();
const failures: string[] = [];
for (const file of results.testResults) {
  for (const a of file.assertionResults) {
    const [suite, family] = a.ancestorTitles;
    const backend = suite?.replace(/^conformance: /, '');
    if (!backend || !family) continue;
    backends.add(backend);
    const row = cells.get(family) ?? new Map();
    cells.set(family, row);
    const cell = row.get(backend) ?? { passed: 0, failed: 0, skipped: [] };
    row.set(backend, cell);
    if (a.status === 'passed') cell.passed++;
    else if (a.status === 'failed') {
      cell.failed++;
      failures.push(`${a.ancestorTitles.join(' > ')} > ${a.title}`);
    }
    else cell.skipped.push(/\(skipped: (.*)\)$/.exec(a.title)?.[1] ?? a.title);
  }
}

const columns = [...backends].sort();
const lines = [`| family | ${columns.join(' | ')} |`, `| --- | ${columns.map(() => '---').join(' | ')} |`];
for (const [family, row] of [...cells].sort(([a], [b]) => a.localeCompare(b))) {
  const text = columns.map((b) => {
    const c = row.get(b);
    if (!c) return 'n/a';
    const parts = [`${c.passed} pass`];
    if (c.failed) parts.push(`**${c.failed} FAIL**`);
    if (c.skipped.length) parts.push(`${c.skipped.length} skip (${[...new Set(c.skipped)].join('; ')})`);
    return parts.join(', ');
  });
  lines.push(`| ${family} | ${text.join(' | ')} |`);
}

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} ... ${END} markers`);
writeFileSync(readmePath, `${readme.slice(0, from + START.length)}\n${lines.join('\n')}\n${readme.slice(to)}`);
console.log(lines.join('\n'));
// The table records failures too, but a run with any must not pass for a clean one.
if (failures.length) {
  console.error(`\n${failures.length} failed:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
