import type { Node } from './node.ts';
import { isGradEnabled, withGradMode } from './mode.ts';
import { PendingGradients } from './pending.ts';
import { keepAsGradOf, tidy } from '../memory/scope.ts';
import { type Tensor, peekNextTensorId } from '../tensor/tensor.ts';
import { onesLike } from '../ops/creation.ts';
import { clone } from '../ops/view.ts';
import { add } from '../ops/elementwise.ts';
import { shapeEquals } from '../tensor/shape.ts';
import { applyTensorHooks } from './hooks.ts';
import { noteBackward } from '../memory/growth-warning.ts';
import { activeRecorder } from '../profiler/recorder.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';

export interface BackwardOptions {
  /** Gradient of the output; required unless the output has one element. */
  gradient?: Tensor;
  /** Keep the graph's saved tensors so backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

export const BACKWARD_OPTIONS: OptionKeys<BackwardOptions> = { gradient: true, retainGraph: true, createGraph: true };

export interface GradOptions {
  /** Gradients of the outputs (the vector in the vector-Jacobian product). */
  gradOutputs?: readonly Tensor[];
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Return null instead of throwing for inputs the outputs do not depend on. */
  allowUnused?: boolean;
}

const GRAD_OPTIONS: OptionKeys<GradOptions> = { gradOutputs: true, retainGraph: true, createGraph: true, allowUnused: true };

function rootGradients(op: string, roots: readonly Tensor[], given: readonly Tensor[] | undefined): Tensor[] {
  return roots.map((root, i) => {
    root.assertAlive(op);
    if (!root.requiresGrad) {
      throw new Error(`${op}(): element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
    const g = given?.[i];
    if (g) {
      if (!shapeEquals(g.shape, root.shape)) {
        throw new RangeError(`${op}(): Mismatch in shape: grad_output[${i}] has a shape of [${g.shape.join(', ')}] and output[${i}] has a shape of [${root.shape.join(', ')}].`);
      }
      return g;
    }
    if (root.size !== 1) throw new Error(`${op}(): grad can be implicitly created only for scalar outputs (got shape [${root.shape.join(', ')}]); pass { gradient }.`);
    return onesLike(root);
  });
}

/** Nodes reachable from `roots`, with how many reachable edges lead into each. */
function dependencies(roots: Iterable<Node>): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack = [...roots];
  for (const r of stack) if (!deps.has(r)) deps.set(r, 0);
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const edge of node.edges) {
      if (!edge?.node) continue;
      deps.set(edge.node, (deps.get(edge.node) ?? 0) + 1);
      stack.push(edge.node);
    }
  }
  return deps;
}

/**
 * Stores a gradient on a tensor's `.grad`, accumulating like PyTorch's AccumulateGrad. A gradient
 * made during this pass, contiguous and not shared, is stored as is; anything else is copied so
 * that `.grad` can be updated in place without touching other tensors.
 */
function accumulator(createGraph: boolean, targets: Set<Tensor>): Sink {
  const firstId = peekNextTensorId();
  const handedOut = new Set<Tensor>();
  const owned = (g: Tensor): boolean =>
    g.id >= firstId && !handedOut.has(g) && g.isContiguous() && g.offset === 0 && g.ref.exclusive && g.ref.storage.size === g.size;
  return (target, g) => {
    targets.add(target);
    if (target.grad === null) {
      const stored = !createGraph && owned(g) ? g : clone(g);
      handedOut.add(stored);
      target.grad = keepAsGradOf(target, stored);
    } else accumulateInto(target, g, createGraph);
  };
}

function accumulateInto(target: Tensor, g: Tensor, createGraph: boolean): void {
  if (createGraph) {
    const old = target.grad!;
    const total = add(old, g);
    old.dispose();
    target.grad = keepAsGradOf(target, total);
  } else withGradMode(false, () => target.grad!.add_(g));
}

type Sink = (leafOrRetained: Tensor, g: Tensor) => void;

/**
 * The shared walk: propagates gradients from roots through the graph in dependency order. With
 * `hookLeaves` (backward, not grad: PyTorch 1.13 runs a leaf's hooks only where it accumulates),
 * a leaf with hooks gets its gradients summed over the whole pass and the hooks run once on the
 * total, as on PyTorch's AccumulateGrad; other leaves take each gradient as it comes.
 */
function run(roots: readonly Tensor[], rootGrads: readonly Tensor[], sink: Sink, captureNodes: Map<Node, Tensor>, retainGraph: boolean, hookLeaves: boolean): void {
  const pending = new PendingGradients(!isGradEnabled());
  const hookedLeaves = new Map<Tensor, Tensor>();
  const toLeaf = (leaf: Tensor, g: Tensor): void => {
    if (!hookLeaves || !leaf.leafGradHooks?.size) return sink(leaf, g);
    const prev = hookedLeaves.get(leaf);
    hookedLeaves.set(leaf, prev ? add(prev, g) : g);
  };
  roots.forEach((root, i) => {
    if (root.gradFn) pending.add(root.gradFn, rootGrads[i]!);
    else toLeaf(root, rootGrads[i]!);
  });
  const deps = dependencies(pending.nodes());
  // A node is ready once every reachable edge into it has been walked; one no gradient reached
  // still runs through the loop (without a backward) so its inputs' counts drop too.
  const ready = [...pending.nodes()].filter((n) => deps.get(n) === 0);
  const visited: Node[] = [];
  while (ready.length > 0) {
    const node = ready.pop()!;
    visited.push(node);
    const g = pending.take(node);
    const grads = g ? backwardOf(node, g, sink, captureNodes, pending) : [];
    node.edges.forEach((edge, i) => {
      const gi = grads[i];
      if (edge?.leaf) {
        if (gi) toLeaf(edge.leaf, gi);
      } else if (edge) {
        if (gi) pending.add(edge.node, gi);
        const left = deps.get(edge.node)! - 1;
        deps.set(edge.node, left);
        if (left === 0) ready.push(edge.node);
      }
    });
  }
  for (const [leaf, g] of hookedLeaves) sink(leaf, applyTensorHooks(leaf.leafGradHooks, g));
  if (!retainGraph) for (const node of visited) node.release();
}

/**
 * Hands a node's total gradient to whoever asked for it, then runs its backward. As in PyTorch
 * 1.13, `grad()` captures an input's gradient before the input's hooks run; a retained `.grad`
 * sees every hook's result (PyTorch 1.13 orders it among the hooks by a binding detail; 2.0 made
 * it always last, as here).
 */
function backwardOf(node: Node, g: Tensor, sink: Sink, captureNodes: Map<Node, Tensor>, pending: PendingGradients): ReadonlyArray<Tensor | null | undefined> {
  const captured = captureNodes.get(node);
  if (captured) sink(captured, g);
  const hooked = applyTensorHooks(node.hooks, g);
  if (node.retained) sink(node.retained, hooked);
  const into = node.slice && pending.inPlace && !node.released ? node.edges[0]?.node : undefined;
  // A sub-view's gradient goes into its input's sum (see PendingGradients); no gradient is returned.
  const apply = into ? () => (pending.addSlice(into, node.slice!, hooked), []) : () => node.apply(hooked);
  const recorder = activeRecorder();
  return recorder ? recorder.scope(node.name, 'backward', apply) : apply();
}

/**
 * Accumulates d(roots)/d(leaf) into every leaf's `.grad` (and retained non-leaves'), then frees the
 * graph unless `retainGraph`.
 */
export function backward(roots: readonly Tensor[], gradients: readonly Tensor[] | undefined, options: BackwardOptions = {}): void {
  checkOptions('backward', options, BACKWARD_OPTIONS);
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  noteBackward();
  // Returning the filled grads lets tidy keep what their graphs need when createGraph is set.
  tidy(() =>
    withGradMode(createGraph, () => {
      const rootGrads = rootGradients('backward', roots, gradients);
      const targets = new Set<Tensor>();
      run(roots, rootGrads, accumulator(createGraph, targets), new Map(), retainGraph, true);
      return [...targets].map((t) => t.grad);
    }),
  );
}

/**
 * The gradients of `outputs` with respect to `inputs`, without touching any `.grad`.
 * @example const [dx] = flint.autograd.grad([y], [x], { createGraph: true }); // then dx.backward()
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): Array<Tensor | null> {
  checkOptions('grad', options, GRAD_OPTIONS);
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? inputs : [inputs as Tensor];
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  ins.forEach((t, i) => {
    t.assertAlive('grad');
    if (!t.requiresGrad) throw new Error(`grad(): input ${i} does not require grad`);
  });
  const results = tidy(() =>
    withGradMode(createGraph, () => {
      const rootGrads = rootGradients('grad', outs, options.gradOutputs);
      const found = new Map<Tensor, Tensor>();
      const captureNodes = new Map<Node, Tensor>();
      for (const t of ins) if (t.gradFn) captureNodes.set(t.gradFn, t);
      const wanted = new Set(ins);
      const sink: Sink = (t, g) => {
        if (!wanted.has(t)) return;
        const prev = found.get(t);
        found.set(t, prev ? add(prev, g) : g);
      };
      run(outs, rootGrads, sink, captureNodes, retainGraph, false);
      return ins.map((t, i) => {
        const g = found.get(t);
        if (!g && !options.allowUnused) {
          throw new Error(`grad(): One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`);
        }
        return g ? (createGraph ? g : clone(g)) : null;
      });
    }),
  );
  return results;
}
