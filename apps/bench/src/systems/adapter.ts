/** What each library implements to run the workloads: turn seeded inputs into a step function. */
import type { Timing } from '../timing.ts';
import type { WorkloadData } from '../workloads.ts';

/** A workload prepared in this process: child.ts times calls of `step`. */
export interface LocalInstance {
  remote?: false;
  /**
   * One timed step, ending with its result read back to the host (awaited on asynchronous
   * backends), so that the time covers all the work the step queued. Returns the value read.
   */
  step(): number | Promise<number>;
  /** The full result of the last step, for verification; outside the timed region. */
  result?(): Promise<Float32Array>;
  dispose(): void;
}

/**
 * A workload prepared in another process (PyTorch's), which times its own steps with the same
 * rules as timing.ts, so that no message passing falls inside a sample.
 */
export interface RemoteInstance {
  remote: true;
  warmUp(timing: Timing): Promise<{ steps: number; iterations: number }>;
  /** Seconds taken by `iterations` steps; appends the value each step read to `values`. */
  sample(iterations: number, values: number[]): Promise<number>;
  result?(): Promise<Float32Array>;
  dispose(): void;
}

export type Instance = LocalInstance | RemoteInstance;

export interface Adapter {
  /** How this system ran, for the report (e.g. "SIMD, 1 thread"); empty when there is nothing to say. */
  detail: string;
  prepare(data: WorkloadData): Promise<Instance>;
}

/** Thrown by `prepare` when a system cannot run a workload yet; reported, not a failure. */
export class Unavailable extends Error {}
