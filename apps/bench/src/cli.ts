/**
 * `pnpm bench`: flint's backends against TensorFlow.js and PyTorch, side by side in one run.
 *
 *   pnpm bench [--quick] [--workloads matmul,mlp] [--backends flint-cpu-js,tfjs-wasm] [--sizes 128,512]
 *              [--json] [--readme] [--profile DIR] [--profile-ops [--rows N]]
 *
 * Prints one JSON line per measurement, then a markdown table (only the JSON lines with --json).
 * --readme writes the table into the root README; --profile writes a .cpuprofile per child;
 * --profile-ops measures nothing and prints flint.profiler's op table of each flint cell instead.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCell, type Cell } from './harness.ts';
import { measurement, table, type CellResult } from './report.ts';
import { machine, section, writeReadme } from './readme.ts';
import { isPresent, systems, type System } from './systems/index.ts';
import { timings } from './timing.ts';
import { takesPart, workload, workloads } from './workloads.ts';
import { profileOps } from './profile-ops.ts';

const { values: args } = parseArgs({
  // pnpm forwards the `--` of `pnpm bench -- --quick`; it separates nothing here.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    workloads: { type: 'string' },
    backends: { type: 'string' },
    sizes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    readme: { type: 'boolean', default: false },
    profile: { type: 'string' },
    'profile-ops': { type: 'boolean', default: false },
    rows: { type: 'string', default: '25' },
  },
});

const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter(Boolean);
const log = (line: string): void => {
  if (!args.json) process.stderr.write(`${line}\n`);
};

const mode = args.quick ? 'quick' : 'full';
const timing = timings[mode];
const chosenWorkloads = list(args.workloads)?.map(workload) ?? workloads;
const sizes = list(args.sizes)?.map(Number);
const allSizes = (w: (typeof workloads)[number]): readonly number[] => [...w.sizes, ...(w.largeSizes ?? [])];
for (const size of sizes ?? []) {
  if (!chosenWorkloads.some((w) => allSizes(w).includes(size))) {
    throw new Error(`no chosen workload has size ${size}; sizes: ${chosenWorkloads.map((w) => `${w.name} ${allSizes(w).join(',')}`).join('; ')}`);
  }
}

// --backends takes system names or a library ("flint", "tfjs", "pytorch").
const wanted = list(args.backends);
for (const name of wanted ?? []) {
  if (!systems.some((s) => s.name === name || s.library === name)) {
    throw new Error(`unknown system '${name}'; known: ${systems.map((s) => s.name).join(', ')}, or flint, tfjs, pytorch`);
  }
}
const candidates = systems.filter((s) => !wanted || wanted.some((w) => w === s.name || w === s.library));
const present: System[] = [];
for (const s of candidates) {
  if (await isPresent(s)) present.push(s);
  else log(`${s.name}: skipped, ${s.library === 'flint' ? s.pkg : s.name} is not installed`);
}

const cells: Cell[] = chosenWorkloads.flatMap((w) =>
  (sizes ? allSizes(w).filter((n) => sizes.includes(n)) : args.quick ? w.quickSizes : w.sizes)
    .flatMap((size) => w.threads.map((threads) => ({ workload: w, size, threads }))),
);

if (args['profile-ops']) {
  await profileOps(present, cells, Number(args.rows));
  process.exit(0);
}

// Children run TypeScript through the same tsx loader and conditions as this process.
const execArgv = [...process.execArgv, ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args.profile)}`] : [])];
const started = performance.now();
const results: CellResult[] = [];
for (const cell of cells) {
  const names = present.filter((s) => takesPart(cell.workload, cell.threads, s)).map((s) => s.name);
  if (names.length === 0) continue;
  const outcomes = await measureCell(cell, names, timing, execArgv);
  results.push({ cell, outcomes });
  for (const o of outcomes) {
    const where = `${o.system} ${cell.workload.name} ${cell.workload.label(cell.size, cell.threads)}`;
    if (o.status === 'ok') {
      const m = measurement(cell, o.system, o.rates);
      process.stdout.write(`${JSON.stringify(m)}\n`);
      log(`  ${where}: ${m.median} ${m.unit}`);
    } else if (o.status === 'unavailable') log(`  ${where}: unavailable, ${o.reason}`);
    else process.stderr.write(`  ${where}: FAILED\n${o.reason}\n`);
  }
}

const markdown = table(results, systems.map((s) => s.name));
if (!args.json) process.stdout.write(`\n${mode} run on ${machine()}\n\n${markdown}\n`);
log(`\n${mode} run: ${results.length} cells in ${((performance.now() - started) / 1000).toFixed(0)} s`);

const failed = results.some((r) => r.outcomes.some((o) => o.status === 'failed'));
if (failed) {
  process.stderr.write('\nsome measurements FAILED (see above); the README was not touched\n');
  process.exitCode = 1;
} else if (args.readme) {
  const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
  writeReadme(readme, section(markdown, mode));
  log(`wrote ${readme}`);
}
