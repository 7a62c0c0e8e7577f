/** What each library implements to run the workloads: turn seeded inputs into a step function. */
import type { WorkloadData } from '../workloads.ts';

export interface Instance {
  /**
   * One timed step, ending with its result read back to the host (awaited on asynchronous
   * backends), so that the time covers all the work the step queued. Returns the value read.
   */
  step(): number | Promise<number>;
  /** The full result of the last step, for verification; outside the timed region. */
  result?(): Promise<Float32Array>;
  dispose(): void;
}

export interface Adapter {
  /** How this system ran, for the report (e.g. "SIMD, 1 thread"); empty when there is nothing to say. */
  detail: string;
  prepare(data: WorkloadData): Promise<Instance>;
}

/** Thrown by `prepare` when a system cannot run a workload yet; reported, not a failure. */
export class Unavailable extends Error {}
