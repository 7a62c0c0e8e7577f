/** Messages between the harness and a child that measures one (system, workload, size, threads). */
import type { Timing } from './timing.ts';

export interface Job {
  system: string;
  workload: string;
  size: number;
  threads: number;
  timing: Timing;
}

export type ToChild = { type: 'sample' } | { type: 'finish' };

export type FromChild =
  /** Warmed up; each sample will run `iterations` steps. */
  | { type: 'ready'; iterations: number; detail: string }
  | { type: 'sample'; seconds: number }
  /** Verified and cleaned up. */
  | { type: 'done' }
  | { type: 'unavailable'; reason: string }
  | { type: 'error'; message: string };

/** Messages in arrival order; `next` waits for one. A listener that is always attached loses none. */
export class Inbox<T> {
  private queue: T[] = [];
  private waiting: ((message: T) => void)[] = [];
  readonly push = (message: T): void => {
    const waiter = this.waiting.shift();
    if (waiter) waiter(message);
    else this.queue.push(message);
  };
  next(): Promise<T> {
    return this.queue.length ? Promise.resolve(this.queue.shift()!) : new Promise((resolve) => this.waiting.push(resolve));
  }
}
