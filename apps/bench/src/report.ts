/** Results as JSON lines, one per measurement, and as a markdown table with flint / reference ratios. */
import type { Cell, Outcome } from './harness.ts';
import { median } from './timing.ts';

export interface Measurement {
  system: string;
  workload: string;
  size: number;
  threads: number;
  /** The median, in `unit`; higher is better for every unit here. */
  value: number;
  unit: string;
  median: number;
  min: number;
  max: number;
  samples: number;
}

export interface CellResult {
  cell: Cell;
  outcomes: Outcome[];
}

const round = (x: number): number => Number(x.toPrecision(4));

export function measurement({ workload, size, threads }: Cell, system: string, rates: number[]): Measurement {
  const mid = round(median(rates));
  return {
    system, workload: workload.name, size, threads, value: mid, unit: workload.unit,
    median: mid, min: round(Math.min(...rates)), max: round(Math.max(...rates)), samples: rates.length,
  };
}

function format(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

function cellText(cell: Cell, outcome: Outcome | undefined): string {
  if (outcome?.status !== 'ok') return outcome?.status === 'failed' ? '**FAILED**' : 'n/a';
  const m = measurement(cell, outcome.system, outcome.rates);
  return `${format(m.median)} (${format(m.min)}-${format(m.max)})`;
}

function ratio(flint: Outcome | undefined, reference: Outcome | undefined): string {
  if (flint?.status !== 'ok' || reference?.status !== 'ok') return '';
  return `${(median(flint.rates) / median(reference.rates)).toFixed(2)}x`;
}

/**
 * Markdown table (median, then min-max over samples) with a ratio column per pair of a flint
 * system and a reference system (TensorFlow.js, PyTorch), then notes.
 */
export function table(results: readonly CellResult[], systemOrder: readonly string[]): string {
  const seen = new Set(results.flatMap((r) => r.outcomes.map((o) => o.system)));
  const systems = systemOrder.filter((s) => seen.has(s));
  const references = systems.filter((s) => !s.startsWith('flint-'));
  const pairs = systems.filter((s) => s.startsWith('flint-')).flatMap((f) => references.map((r) => [f, r] as const));
  const header = ['workload', 'size', 'unit', ...systems, ...pairs.map(([f, t]) => `${f} / ${t}`)];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  const notes = new Set<string>();
  // system -> detail -> the cells that reported it, so per-cell details name their cells.
  const details = new Map<string, Map<string, string[]>>();
  for (const { cell, outcomes } of results) {
    const of = (s: string) => outcomes.find((o) => o.system === s);
    const row = [
      cell.workload.name, cell.workload.label(cell.size, cell.threads), cell.workload.unit,
      ...systems.map((s) => cellText(cell, of(s))),
      ...pairs.map(([f, t]) => ratio(of(f), of(t))),
    ];
    lines.push(`| ${row.join(' | ')} |`);
    if (cell.workload.note) notes.add(`${cell.workload.name}: ${cell.workload.note}`);
    for (const o of outcomes) {
      if (o.status === 'ok' && o.detail) {
        const bySystem = details.get(o.system) ?? new Map<string, string[]>();
        details.set(o.system, bySystem);
        bySystem.set(o.detail, [...(bySystem.get(o.detail) ?? []), `${cell.workload.name} ${cell.workload.label(cell.size, cell.threads)}`]);
      }
      if (o.status === 'unavailable') notes.add(`${o.system} ${cell.workload.name}: unavailable, ${o.reason}.`);
      if (o.status === 'failed') notes.add(`${o.system} ${cell.workload.name} ${cell.workload.label(cell.size, cell.threads)}: FAILED, ${o.reason.split('\n')[0]}`);
    }
  }
  for (const [system, byDetail] of details) {
    const entries = [...byDetail];
    notes.add(entries.length === 1 ? `${system}: ${entries[0]![0]}.` : `${system}: ${entries.map(([d, cells]) => `${d} (${cells.join(', ')})`).join('; ')}.`);
  }
  return [...lines, '', ...[...notes].map((n) => `- ${n}`)].join('\n');
}
