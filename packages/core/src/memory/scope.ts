import { peekNextNodeSeq, type Node } from '../autograd/node.ts';
import type { Tensor } from '../tensor/tensor.ts';
import { live, type StorageRef } from './storage-ref.ts';
import { deviceName, startedBackends } from '../backend/registry.ts';
import type { BackendMemory } from '../backend/types.ts';
import { rejectAsyncFunction, rejectPromiseResult } from './sync-only.ts';
import { typeName } from '../tensor/type-name.ts';

type Scope = Set<Tensor>;
const scopes: Scope[] = [];
let liveTensors = 0;

/** What the backstop frees when it collects a tensor: its storage share and the gradient it owns. */
export interface Holding {
  readonly ref: StorageRef;
  grad: Tensor | null;
}

/** Frees a tensor's storage share (and its `.grad`) if the garbage collector reaches it before `dispose()` does. */
const backstop = new FinalizationRegistry<Holding>((held) => {
  liveTensors--;
  held.ref.release();
  held.grad?.dispose();
});

/**
 * Puts a tensor that no scope will dispose under the garbage-collection backstop. Tensors inside
 * a `tidy` are freed deterministically, so they skip the (costly) registration until they escape.
 */
export function guard(t: Tensor): void {
  if (t.holding || t.isDisposed) return;
  t.holding = { ref: t.ref, grad: t.grad };
  backstop.register(t, t.holding, t);
}

/** Points the backstop at a guarded tensor's current storage after `setData` swapped it. */
export function reguard(t: Tensor): void {
  if (!t.holding) return;
  backstop.unregister(t);
  t.holding = null;
  guard(t);
}

/** Tensor objects not yet disposed. */
export function liveTensorCount(): number {
  return liveTensors;
}

/** Called by every new tensor: counts it and hands it to the innermost `tidy`, or to the backstop. */
export function trackTensor(t: Tensor): void {
  liveTensors++;
  const scope = scopes.at(-1);
  if (scope) scope.add(t);
  else guard(t);
}

/** Called once by `dispose()`. */
export function untrackTensor(t: Tensor): void {
  liveTensors--;
  if (t.holding) backstop.unregister(t);
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.delete(t)) break;
}

/**
 * Exempts a tensor from every enclosing {@link tidy}; you dispose it yourself.
 * @example const w = flint.keep(flint.randn([3, 3]));
 */
export function keep<T extends Tensor>(t: T): T {
  if (!isTensorCheck(t)) throw new TypeError(`keep(): expected a Tensor, got ${typeName(t)}`);
  t.assertAlive('keep');
  for (const scope of scopes) scope.delete(t);
  guard(t);
  return t;
}

/**
 * Exempts a new gradient of `owner` from every enclosing {@link tidy}, as {@link keep} does. Stored
 * as `owner.grad`, it is covered by its owner's backstop entry when the owner has one, so a
 * training step registers nothing with the garbage collector for its gradients.
 */
export function keepAsGradOf<T extends Tensor>(owner: Tensor, g: T): T {
  for (const scope of scopes) scope.delete(g);
  if (!owner.holding) guard(g);
  return g;
}

/** Every tensor inside a `tidy` result: tensors, arrays, Maps and plain objects are searched. */
function collect(value: unknown, into: Set<Tensor>, isTensor: (v: unknown) => v is Tensor): void {
  if (isTensor(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into, isTensor);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into, isTensor);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, isTensor);
  }
}

/**
 * Tensors saved by the graphs behind `roots`, each with the node that saved it. Only nodes made
 * since `firstSeq` are walked: older nodes cannot hold tensors made inside the scope.
 */
function savedByGraphs(roots: Iterable<Tensor>, firstSeq: number): Map<Tensor, Node> {
  const saved = new Map<Tensor, Node>();
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const t of roots) if (t.gradFn) stack.push(t.gradFn);
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node) || node.seq < firstSeq) continue;
    seen.add(node);
    for (const t of node.saved) if (!saved.has(t)) saved.set(t, node);
    for (const edge of node.edges) if (edge?.node) stack.push(edge.node);
  }
  return saved;
}

let isTensorCheck: (v: unknown) => v is Tensor = (_v): _v is Tensor => false;
/** Lets this module recognise tensors without importing the Tensor class (avoids a cycle). */
export function setTensorCheck(check: (v: unknown) => v is Tensor): void {
  isTensorCheck = check;
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (searched through
 * arrays and objects) and those the returned tensors' autograd graphs still need. `fn` must be
 * synchronous: an `async` function is rejected before it runs.
 * @example const loss = flint.tidy(() => model.forward(x).sub(y).square().mean());
 */
export function tidy<T>(fn: () => T): T {
  rejectAsyncFunction('tidy', fn);
  const scope: Scope = new Set();
  const firstSeq = peekNextNodeSeq();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    scopes.splice(scopes.lastIndexOf(scope), 1);
    for (const t of scope) t.dispose();
    throw err;
  }
  scopes.splice(scopes.lastIndexOf(scope), 1);
  if (result instanceof Promise) for (const t of scope) t.dispose();
  rejectPromiseResult('tidy', result);
  const kept = new Set<Tensor>();
  collect(result, kept, isTensorCheck);
  // No node made inside the scope means no graph can hold on to the scope's tensors.
  const needed = peekNextNodeSeq() === firstSeq ? new Map<Tensor, Node>() : savedByGraphs(kept, firstSeq);
  const parent = scopes.at(-1);
  for (const t of scope) {
    if (kept.has(t) || needed.has(t)) {
      if (parent) parent.add(t);
      else {
        guard(t);
        if (!kept.has(t)) needed.get(t)!.owned.push(t);
      }
    } else t.dispose();
  }
  return result;
}

/** A snapshot of what flint holds. */
export interface MemoryInfo {
  /** Tensor objects not yet disposed (views count separately from their storage). */
  readonly tensors: number;
  /** Distinct storages those tensors hold. */
  readonly storages: number;
  /** Bytes of those storages. */
  readonly bytes: number;
  /** What each started backend reports holding. */
  readonly backends: Readonly<Record<string, BackendMemory>>;
}

/** Live tensors, storages and bytes, overall and per backend. */
export function memory(): MemoryInfo {
  const backends: Record<string, BackendMemory> = {};
  for (const b of startedBackends()) backends[deviceName(b)] = b.memory();
  return { tensors: liveTensors, storages: live.storages, bytes: live.bytes, backends };
}
