/** How long to warm up and sample, and the in-process loops that do it. */

export interface Timing {
  /**
   * Warm-up lasts at least this long (and 3 steps). Small-op workloads keep speeding up for 2-3 s
   * on a 2-core machine (V8 tiers code up on a background thread), all three libraries alike.
   */
  warmupMs: number;
  /** Each sample runs as many steps as fill about this long, so short steps are not timer noise. */
  sampleMs: number;
  /** Samples per system; rounds alternate the systems A B A B so drift hits them alike. */
  rounds: number;
}

export const timings = {
  quick: { warmupMs: 2000, sampleMs: 100, rounds: 3 },
  full: { warmupMs: 3000, sampleMs: 400, rounds: 10 },
} satisfies Record<string, Timing>;

type Step = () => number | Promise<number>;

/** Warms `step` up; returns the steps it ran and how many steps fill one sample. */
export async function warmUp(step: Step, timing: Timing): Promise<{ steps: number; iterations: number }> {
  const durations: number[] = [];
  const start = performance.now();
  while (durations.length < 3 || performance.now() - start < timing.warmupMs) {
    const t0 = performance.now();
    await step();
    durations.push(performance.now() - t0);
  }
  // The later half stands for steady state; the first steps include compilation.
  const steady = durations.slice(durations.length >> 1).sort((a, b) => a - b);
  const typical = steady[steady.length >> 1]!;
  return { steps: durations.length, iterations: Math.max(1, Math.round(timing.sampleMs / typical)) };
}

/** Seconds taken by `iterations` steps, each awaited (its read-back included); keeps what each read. */
export async function sample(step: Step, iterations: number, values: number[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) values.push(await step());
  return (performance.now() - t0) / 1000;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
