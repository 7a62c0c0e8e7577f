/** Plumbing every op shares: device checks, wrapping kernel output, and recording the graph. */
import type { Backend, DType, Storage } from '../backend/types.ts';
import { Node, type BackwardFn, type Edge } from '../autograd/node.ts';
import { isGradEnabled } from '../autograd/mode.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { deviceName } from '../backend/registry.ts';
import type { Shape } from '../tensor/shape.ts';
import { noteOp } from '../trace/state.ts';

/** The one backend all tensor operands live on; throws on disposed tensors or mixed devices. */
export function backendOf(op: string, ...operands: ReadonlyArray<TensorLike | null | undefined>): Backend {
  // Ops that check their operands here rather than with checkTensors are named to a trace too.
  noteOp(op);
  let backend: Backend | undefined;
  for (const t of operands) {
    if (!(t instanceof Tensor)) continue;
    t.assertAlive(op);
    if (backend === undefined) backend = t.backend;
    else if (t.backend !== backend) {
      throw new Error(
        `${op}(): Expected all tensors to be on the same device, but found at least two devices, ${deviceName(backend)} and ${t.device}. Move one with t.to('${deviceName(backend)}').`,
      );
    }
  }
  if (!backend) throw new TypeError(`${op}(): expected at least one tensor operand`);
  return backend;
}

/** Wraps a fresh contiguous kernel output as a tensor. */
export function wrap(backend: Backend, storage: Storage, shape: Shape, dtype: DType): Tensor {
  return Tensor.fromStorage(backend, storage, shape, dtype);
}

const backwardNames = new Map<string, string>();
/** PyTorch's grad_fn name for an op: `mul` -> `MulBackward` (cached: it is asked on every op). */
export function backwardName(op: string): string {
  let name = backwardNames.get(op);
  if (name === undefined) {
    name = `${op[0]!.toUpperCase()}${op.slice(1)}Backward`;
    backwardNames.set(op, name);
  }
  return name;
}

/** Whether an op over these inputs must record the graph. */
export function needsGrad(...inputs: ReadonlyArray<unknown>): boolean {
  return isGradEnabled() && inputs.some((t) => t instanceof Tensor && t.requiresGrad);
}

/**
 * Records `out = name(inputs)` in the graph when any input requires grad. `backward` maps the
 * output's gradient to one gradient per input (null where none flows); `saved` lists the tensors
 * it reads, so memory scopes keep them and in-place writes to them are caught.
 */
export function record(
  name: string,
  out: Tensor,
  inputs: ReadonlyArray<unknown>,
  saved: readonly Tensor[],
  backward: BackwardFn,
): Tensor {
  if (!needsGrad(...inputs)) return out;
  out.setGradFn(graphNode(name, inputs, saved, backward));
  return out;
}

/** A graph node whose edges lead to those of `inputs` that require grad. */
export function graphNode(name: string, inputs: ReadonlyArray<unknown>, saved: readonly Tensor[], backward: BackwardFn): Node {
  const edges = inputs.map((t): Edge | null => {
    if (!(t instanceof Tensor) || !t.requiresGrad) return null;
    return t.gradFn ? { node: t.gradFn } : { leaf: t };
  });
  return new Node(name, edges, backward, saved);
}
