/**
 * Measures one cell (workload, size, threads) on several systems: a child process per system,
 * warmed up one after another, then sampled in alternation (A B A B ...) so that slow drift of the
 * machine (thermal, other load) falls on every system alike.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Inbox, type FromChild, type Job, type ToChild } from './protocol.ts';
import type { Timing } from './timing.ts';
import type { Workload } from './workloads.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface Cell {
  workload: Workload;
  size: number;
  threads: number;
}

export type Outcome =
  /** `rates`: one per sample, in the workload's unit. */
  | { system: string; status: 'ok'; rates: number[]; detail: string }
  | { system: string; status: 'unavailable' | 'failed'; reason: string };

/** How long a child may take to exit after its last reply before it is killed. */
const EXIT_GRACE_MS = 10_000;

class Child {
  private readonly inbox = new Inbox<FromChild>();
  private readonly process: ChildProcess;
  /** Settles when the process has exited. */
  readonly exited: Promise<void>;

  constructor(job: Job, execArgv: string[]) {
    // The child's stdout joins our stderr, so that stdout carries only results.
    this.process = fork(CHILD, [JSON.stringify(job)], { execArgv, stdio: ['ignore', 2, 2, 'ipc'] });
    this.process.on('message', (message) => this.inbox.push(message as FromChild));
    this.exited = new Promise((resolve) => {
      this.process.on('exit', (code, signal) => {
        this.inbox.push({ type: 'error', message: `child process exited (${signal ?? `code ${code}`})` });
        resolve();
      });
    });
  }

  /** Waits for the process to exit (killing it after a grace period), so no cell overlaps the next. */
  async ended(): Promise<void> {
    const timer = setTimeout(() => this.kill(), EXIT_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  request(message?: ToChild): Promise<FromChild> {
    if (message) this.process.send(message);
    return this.inbox.next();
  }

  kill(): void {
    this.process.kill();
  }
}

function failure(system: string, reply: FromChild): Outcome {
  if (reply.type === 'unavailable') return { system, status: 'unavailable', reason: reply.reason };
  const reason = reply.type === 'error' ? reply.message : `unexpected '${reply.type}' message`;
  return { system, status: 'failed', reason };
}

/** Runs the cell on each system; `execArgv` carries tsx's loader (and --cpu-prof when asked). */
export async function measureCell(cell: Cell, systems: readonly string[], timing: Timing, execArgv: string[]): Promise<Outcome[]> {
  const outcomes = new Map<string, Outcome>();
  const children: Child[] = [];
  const running: { system: string; child: Child; iterations: number; detail: string; seconds: number[] }[] = [];
  for (const system of systems) {
    const job: Job = { system, workload: cell.workload.name, size: cell.size, threads: cell.threads, timing };
    const child = new Child(job, execArgv);
    children.push(child);
    const reply = await child.request();
    if (reply.type === 'ready') running.push({ system, child, iterations: reply.iterations, detail: reply.detail, seconds: [] });
    else outcomes.set(system, failure(system, reply));
  }
  const alive = () => running.filter((r) => !outcomes.has(r.system));
  const stop = (run: (typeof running)[number], reply: FromChild) => {
    outcomes.set(run.system, failure(run.system, reply));
    run.child.kill();
  };
  for (let round = 0; round < timing.rounds; round++) {
    for (const run of alive()) {
      const reply = await run.child.request({ type: 'sample' });
      if (reply.type === 'sample') run.seconds.push(reply.seconds);
      else stop(run, reply);
    }
  }
  for (const run of alive()) {
    const reply = await run.child.request({ type: 'finish' });
    if (reply.type !== 'done') {
      stop(run, reply);
      continue;
    }
    const work = cell.workload.work(cell.size) * run.iterations;
    outcomes.set(run.system, { system: run.system, status: 'ok', rates: run.seconds.map((s) => work / s), detail: run.detail });
  }
  await Promise.all(children.map((child) => child.ended()));
  return systems.map((s) => outcomes.get(s)!);
}
