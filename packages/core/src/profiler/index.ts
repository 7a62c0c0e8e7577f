/**
 * An op profiler: which backend kernels ran, how often, for how long, and what they allocated,
 * grouped under the scopes they ran in: module forwards, autograd backward nodes and
 * {@link recordFunction} labels.
 *
 * Times are wall times on the calling thread. A kernel of a synchronous backend (cpu-js,
 * wasm-simd) is timed while it computes; a GPU backend's kernel call only encodes work, so its time
 * is the host's cost of issuing it, and the GPU's own time shows in the `sync` at the profile's end.
 * @example
 * const prof = await flint.profiler.profile(() => step(x, y), { recordShapes: true });
 * console.log(prof.table({ sortBy: 'selfTime', rowLimit: 10 }));
 * writeFileSync('trace.json', prof.chromeTrace()); // open in chrome://tracing or ui.perfetto.dev
 */
import { startedBackends } from '../backend/registry.ts';
import { typeName } from '../tensor/type-name.ts';
import { rejectAsyncFunction, rejectPromiseResult } from '../memory/sync-only.ts';
import { formatTable, keyAverages, type OpStats, type TableOptions } from './averages.ts';
import { instrument } from './instrument.ts';
import { activeRecorder, Recorder, setActiveRecorder, type ProfilerEvent } from './recorder.ts';

export type { ProfilerEvent, EventKind } from './recorder.ts';
export type { OpStats, SortKey, TableOptions } from './averages.ts';

export interface ProfileOptions {
  /** Record the shapes of every kernel's tensor operands (default false). */
  recordShapes?: boolean;
}

/** What one {@link profile} recorded. */
export class Profile {
  constructor(
    /** Every event, in the order they began. */
    readonly events: readonly ProfilerEvent[],
  ) {}

  /** Totals per event name (and per input shapes with `groupByInputShape`). */
  keyAverages(options: { groupByInputShape?: boolean } = {}): OpStats[] {
    return keyAverages(this.events, options.groupByInputShape ?? false);
  }

  /** The totals as a text table, largest first. */
  table(options: TableOptions = {}): string {
    return formatTable(this.keyAverages(options), options);
  }

  /** The events in the Chrome trace format (JSON text), for chrome://tracing or Perfetto. */
  chromeTrace(): string {
    const traceEvents = this.events.map((e) => ({
      name: e.name,
      cat: e.kind,
      ph: 'X',
      ts: e.start * 1000,
      dur: e.duration * 1000,
      pid: 1,
      tid: 1,
      args: { ...(e.device ? { device: e.device } : {}), ...(e.shapes ? { shapes: e.shapes } : {}), bytes: e.bytes },
    }));
    return JSON.stringify({ traceEvents, displayTimeUnit: 'ms' });
  }
}

/**
 * Runs `fn` (synchronous or async) and records every kernel that every started backend runs
 * meanwhile, then waits for the backends to finish their queued work (inside the profile, as
 * `sync` events). One profile runs at a time; work from elsewhere in the program that runs during
 * an async `fn` is recorded too.
 */
export async function profile(fn: () => unknown, options: ProfileOptions = {}): Promise<Profile> {
  if (typeof fn !== 'function') throw new TypeError(`profile(): expected a function, but got ${typeName(fn)}`);
  if (activeRecorder()) throw new Error('profile(): a profile is already running; profiles do not nest');
  const recorder = new Recorder(options.recordShapes ?? false);
  const backends = startedBackends();
  const restore = instrument(recorder, backends);
  setActiveRecorder(recorder);
  try {
    await fn();
    await Promise.all(backends.map((b) => b.sync()));
  } finally {
    setActiveRecorder(null);
    restore();
  }
  return new Profile(recorder.events());
}

/**
 * Labels the synchronous `fn` in a running profile, as torch.profiler.record_function: its
 * kernels show inside an event named `name`. Without a profile it just runs `fn`.
 * @example flint.profiler.recordFunction('attention', () => attend(q, k, v));
 */
export function recordFunction<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '') throw new TypeError('recordFunction(): name must be a non-empty string');
  rejectAsyncFunction('recordFunction', fn);
  const recorder = activeRecorder();
  const result = recorder ? recorder.scope(name, 'scope', fn) : fn();
  rejectPromiseResult('recordFunction', result);
  return result;
}
