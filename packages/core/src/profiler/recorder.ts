/**
 * What a running profile records: one event per backend kernel call and per labelled scope
 * (module forwards, autograd backward nodes, `recordFunction`), nested by a stack. Nothing here runs unless a
 * profile is active: callers test {@link activeRecorder} first.
 */

/**
 * What an event is: a backend method call (`kernel`), or a stretch of work around others: a
 * module's forward (`module`, named by its class), an autograd node's backward (`backward`), or
 * a `flint.profiler.recordFunction` label (`scope`).
 */
export type EventKind = 'kernel' | 'module' | 'backward' | 'scope';

/** One recorded call; times in milliseconds from the profile's start. */
export interface ProfilerEvent {
  readonly name: string;
  readonly kind: EventKind;
  /** The backend of a kernel call. */
  readonly device: string | null;
  readonly start: number;
  readonly duration: number;
  /** Duration less the time of the events directly inside this one. */
  readonly selfDuration: number;
  /** Nesting depth: 0 for outermost events. */
  readonly depth: number;
  /** Index in the event list of the enclosing event, or -1. */
  readonly parent: number;
  /** Shapes of the tensor operands, with `recordShapes`. */
  readonly shapes: ReadonlyArray<readonly number[]> | null;
  /**
   * Net change in bytes its backend holds over the call (a kernel), or over its children (a scope):
   * positive for allocations, negative for frees.
   */
  readonly bytes: number;
}

interface OpenEvent {
  name: string;
  kind: EventKind;
  device: string | null;
  start: number;
  end: number;
  depth: number;
  parent: number;
  childTime: number;
  shapes: ReadonlyArray<readonly number[]> | null;
  bytes: number;
}

export class Recorder {
  readonly #events: OpenEvent[] = [];
  readonly #stack: number[] = [];
  readonly #origin = performance.now();

  constructor(readonly recordShapes: boolean) {}

  /** Opens an event; returns its token for {@link close}. */
  open(name: string, kind: EventKind, device: string | null, shapes: ReadonlyArray<readonly number[]> | null): number {
    const index = this.#events.length;
    this.#events.push({ name, kind, device, start: performance.now() - this.#origin, end: 0, depth: this.#stack.length, parent: this.#stack.at(-1) ?? -1, childTime: 0, shapes, bytes: 0 });
    this.#stack.push(index);
    return index;
  }

  /**
   * Closes the innermost event, which must be `token`'s. A kernel passes the change in its
   * backend's bytes over the call, which covers any kernel it called; a scope sums its children's.
   */
  close(token: number, measuredBytes?: number): void {
    const event = this.#events[token]!;
    this.#stack.pop();
    event.end = performance.now() - this.#origin;
    if (measuredBytes !== undefined) event.bytes = measuredBytes;
    const parent = this.#events[event.parent];
    if (parent) {
      parent.childTime += event.end - event.start;
      parent.bytes += event.bytes;
    }
  }

  /** Runs `fn` inside a scope event. */
  scope<T>(name: string, kind: EventKind, fn: () => T): T {
    const token = this.open(name, kind, null, null);
    try {
      return fn();
    } finally {
      this.close(token);
    }
  }

  /** The finished events, in the order they began. */
  events(): ProfilerEvent[] {
    return this.#events.map((e) => ({
      name: e.name,
      kind: e.kind,
      device: e.device,
      start: e.start,
      duration: e.end - e.start,
      selfDuration: e.end - e.start - e.childTime,
      depth: e.depth,
      parent: e.parent,
      shapes: e.shapes,
      bytes: e.bytes,
    }));
  }
}

let active: Recorder | null = null;

/** The recorder of the running profile, or null (the common case, checked on hot paths). */
export function activeRecorder(): Recorder | null {
  return active;
}

export function setActiveRecorder(recorder: Recorder | null): void {
  active = recorder;
}
