/** Writes the results table into the root README, between markers, with the machine it ran on. */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

/** The 1-minute load average before the run: whether other work shared the machine. */
const loadBefore = loadavg()[0]!;

export function machine(): string {
  const cores = cpus();
  const date = new Date().toISOString().slice(0, 10);
  return `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, Node ${process.version}, ${date}, load average ${loadBefore.toFixed(1)} before the run`;
}

export function section(table: string, mode: 'quick' | 'full'): string {
  return [
    START,
    'Throughput of flint\'s backends beside TensorFlow.js 4.22 (its cpu and wasm backends) and native',
    'PyTorch (Debian\'s python3-torch on OpenBLAS) on the same workloads and seeded data (and, for the',
    'mlp, simplenet and cnn, the same initial weights), each system in its own process. Higher is',
    'better; a ratio above 1 means flint is faster. Each cell is the median over samples, then min-max.',
    `\`pnpm bench --readme\` rewrites this section. Measured on ${machine()} (${mode} run).`,
    '',
    table,
    END,
  ].join('\n');
}

/** Replaces the marked section, or adds a "## Performance" section before "## Developing". */
export function writeReadme(path: string, content: string): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  let next: string;
  if (start >= 0 && end > start) next = text.slice(0, start) + content + text.slice(end + END.length);
  else {
    const at = text.indexOf('## Developing');
    const block = `## Performance\n\n${content}\n\n`;
    next = at >= 0 ? text.slice(0, at) + block + text.slice(at) : `${text.trimEnd()}\n\n${block}`;
  }
  writeFileSync(path, next);
}
