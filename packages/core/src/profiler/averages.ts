/**
 * Events summed per name (and, when asked, per input shapes), and printed as a table, as
 * torch.profiler's `key_averages().table()`.
 */
import type { EventKind, ProfilerEvent } from './recorder.ts';

/** Totals for one name (and shapes). Times in milliseconds. */
export interface OpStats {
  readonly name: string;
  readonly kind: EventKind;
  readonly calls: number;
  /** Sum of the events' durations. Nested calls of one name count each time. */
  readonly totalTime: number;
  /** Sum of the events' own time, without what ran inside them. */
  readonly selfTime: number;
  /** Net bytes allocated by these calls and what ran inside them. */
  readonly bytes: number;
  /** The input shapes these totals are for (with `groupByInputShape`). */
  readonly shapes: ReadonlyArray<readonly number[]> | null;
}

export type SortKey = 'selfTime' | 'totalTime' | 'calls' | 'bytes';

export interface TableOptions {
  /** Column the rows are sorted by, largest first (default `selfTime`). */
  sortBy?: SortKey;
  /** At most this many rows (default all). */
  rowLimit?: number;
  /** One row per name and input shapes (the profile must record shapes). */
  groupByInputShape?: boolean;
}

const shapesText = (shapes: ReadonlyArray<readonly number[]> | null): string => (shapes ? shapes.map((s) => `[${s.join(', ')}]`).join(', ') : '');

export function keyAverages(events: readonly ProfilerEvent[], groupByInputShape: boolean): OpStats[] {
  const rows = new Map<string, { -readonly [K in keyof OpStats]: OpStats[K] }>();
  for (const e of events) {
    const key = groupByInputShape ? `${e.name}\u0000${shapesText(e.shapes)}` : e.name;
    const row = rows.get(key) ?? { name: e.name, kind: e.kind, calls: 0, totalTime: 0, selfTime: 0, bytes: 0, shapes: groupByInputShape ? e.shapes : null };
    row.calls++;
    row.totalTime += e.duration;
    row.selfTime += e.selfDuration;
    row.bytes += e.bytes;
    rows.set(key, row);
  }
  return [...rows.values()];
}

function time(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)}s`;
  if (ms >= 1) return `${ms.toFixed(3)}ms`;
  return `${(ms * 1000).toFixed(3)}us`;
}

function bytesText(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 2 ** 20) return `${(n / 2 ** 20).toFixed(2)} MiB`;
  if (abs >= 2 ** 10) return `${(n / 2 ** 10).toFixed(2)} KiB`;
  return `${n} B`;
}

/** The table text: one row per name, the share of self time against the sum of all self times. */
export function formatTable(stats: readonly OpStats[], options: TableOptions): string {
  const sortBy = options.sortBy ?? 'selfTime';
  const rows = [...stats].sort((a, b) => b[sortBy] - a[sortBy]).slice(0, options.rowLimit ?? stats.length);
  const allSelf = stats.reduce((sum, s) => sum + s.selfTime, 0) || 1;
  const header = ['Name', 'Self time %', 'Self time', 'Total time', 'Calls', 'Avg time', 'Mem'];
  if (options.groupByInputShape) header.push('Input shapes');
  const body = rows.map((s) => {
    const cells = [s.name, `${((100 * s.selfTime) / allSelf).toFixed(2)}%`, time(s.selfTime), time(s.totalTime), String(s.calls), time(s.totalTime / s.calls), bytesText(s.bytes)];
    if (options.groupByInputShape) cells.push(shapesText(s.shapes));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = widths.map((w) => '-'.repeat(w)).join('  ');
  const format = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line, format(header), line, ...body.map(format), line, `Self time total: ${time(allSelf)}`].join('\n');
}
