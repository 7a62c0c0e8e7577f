/**
 * Forward pre-hooks, forward hooks and full backward hooks of modules, run around `forward` in
 * the order of PyTorch 1.13's `Module._call_impl`: pre-hooks (which may replace the arguments),
 * the backward hook's wrapping of the tensor arguments, `forward`, forward hooks (which may replace
 * the output), then the wrapping of the tensor outputs.
 */
import { Tensor } from '../tensor/tensor.ts';
import { HookList } from '../autograd/hooks.ts';
import { isGradEnabled, noGrad } from '../autograd/mode.ts';
import { graphNode } from '../ops/kernel.ts';
import { detach, narrow, reshape } from '../ops/view.ts';
import { cat } from '../ops/join.ts';
import { zerosLike } from '../ops/creation.ts';

/** Runs before `forward` with its arguments; returning an array (or one value, wrapped) replaces them. */
export type ForwardPreHook<M> = (module: M, args: unknown[]) => unknown;
/** Runs after `forward` with its arguments and output; returning a value replaces the output. */
export type ForwardHook<M> = (module: M, args: unknown[], output: unknown) => unknown;
/**
 * Runs when the gradients with respect to the module's tensor arguments are computed:
 * `gradInput[i]` belongs to argument `i` (null for arguments that are not tensors), `gradOutput[j]`
 * to output `j`. Returning an array of the same length replaces `gradInput`.
 */
export type FullBackwardHook<M> = (module: M, gradInput: Array<Tensor | null>, gradOutput: Array<Tensor | null>) => Array<Tensor | null> | void;

/**
 * `tensors` passed through one recorded identity op, whose backward sees all their gradients at
 * once and returns what `backward` makes of them. One tensor is aliased without a copy; several
 * are packed into one buffer whose views are the results.
 */
function identityOver(tensors: readonly Tensor[], backward: (grads: Tensor[]) => Array<Tensor | null>): Tensor[] {
  const offsets: number[] = [];
  let total = 0;
  for (const t of tensors) {
    offsets.push(total);
    total += t.size;
  }
  const unpack = (g: Tensor): Tensor[] => tensors.map((t, i) => reshape(narrow(g, 0, offsets[i]!, t.size), t.shape));
  const node = graphNode('BackwardHookFunctionBackward', tensors, [], (g) => backward(tensors.length === 1 ? [g] : unpack(g)));
  if (tensors.length === 1) {
    const alias = detach(tensors[0]!);
    alias.setGradFn(node);
    return [alias];
  }
  const packed = noGrad(() => cat(tensors.map((t) => reshape(t, [-1]))));
  packed.setGradFn(node);
  const views = tensors.map((t, i) => {
    const window = narrow(packed, 0, offsets[i]!, t.size);
    const view = reshape(window, t.shape);
    if (view !== window) window.dispose();
    return view;
  });
  packed.dispose();
  return views;
}

/** Indices of the tensors among `values` that require grad. */
function gradTensorIndices(values: readonly unknown[]): number[] {
  return values.flatMap((v, i) => (v instanceof Tensor && v.requiresGrad ? [i] : []));
}

/** One call's full backward hooks: collects the output gradients, then runs the hooks on the input gradients. */
class BackwardHookCall<M> {
  private gradOutput: Array<Tensor | null> = [];
  private argCount = 0;
  private inputsWrapped = false;

  constructor(private readonly module: M, private readonly hooks: readonly FullBackwardHook<M>[]) {}

  private runHooks(gradInput: Array<Tensor | null>): Array<Tensor | null> {
    for (const hook of this.hooks) {
      const result = hook(this.module, gradInput, this.gradOutput);
      if (result === undefined || result === null) continue;
      if (result.length !== gradInput.length) {
        throw new Error(`Backward hook returned an invalid number of grad_input, got ${result.length}, but expected ${gradInput.length}`);
      }
      gradInput = result;
    }
    return gradInput;
  }

  /**
   * The arguments with those requiring grad passed through one identity op, whose backward runs
   * the hooks. Tensor arguments that do not require grad get zeros in `gradInput`, as PyTorch.
   */
  wrapInputs(args: unknown[]): unknown[] {
    this.argCount = args.length;
    const at = gradTensorIndices(args);
    if (at.length === 0) return args;
    this.inputsWrapped = true;
    const wrapped = identityOver(at.map((i) => args[i] as Tensor), (grads) => {
      const given = args.map((a, i) => (a instanceof Tensor ? (at.includes(i) ? grads[at.indexOf(i)]! : zerosLike(a)) : null));
      const gradInput = this.runHooks(given);
      return at.map((i) => gradInput[i] ?? null);
    });
    const out = [...args];
    at.forEach((i, k) => (out[i] = wrapped[k]));
    return out;
  }

  /** The output (a tensor or an array) with its tensors requiring grad passed through one identity op that records their gradients. */
  wrapOutputs(output: unknown): unknown {
    const outs = Array.isArray(output) ? [...(output as unknown[])] : [output];
    const at = gradTensorIndices(outs);
    if (at.length === 0) return output;
    const wrapped = identityOver(at.map((i) => outs[i] as Tensor), (grads) => {
      this.gradOutput = outs.map((_, i) => (at.includes(i) ? grads[at.indexOf(i)]! : null));
      if (!this.inputsWrapped) {
        const result = this.runHooks(new Array<Tensor | null>(this.argCount).fill(null));
        if (result.some((g) => g !== null)) {
          throw new Error('Backward hook for Modules where no input requires gradient should always return None or None for all gradients.');
        }
      }
      return grads;
    });
    at.forEach((i, k) => (outs[i] = wrapped[k]));
    return Array.isArray(output) ? outs : outs[0];
  }
}

/** @internal A module's hooks, made on its first registration. */
export class ModuleHooks<M> {
  readonly forwardPre = new HookList<ForwardPreHook<M>>();
  readonly forward = new HookList<ForwardHook<M>>();
  readonly backward = new HookList<FullBackwardHook<M>>();

  /** Calls `forward` on `module` with `args`, running every hook around it. */
  run(module: M, forward: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    for (const hook of this.forwardPre.values()) {
      const result = hook(module, args);
      if (result !== undefined && result !== null) args = Array.isArray(result) ? result : [result];
    }
    const backward = this.backward.size > 0 && isGradEnabled() ? new BackwardHookCall(module, this.backward.values()) : null;
    if (backward) args = backward.wrapInputs(args);
    let output = forward.apply(module, args);
    for (const hook of this.forward.values()) {
      const result = hook(module, args, output);
      if (result !== undefined && result !== null) output = result;
    }
    return backward ? backward.wrapOutputs(output) : output;
  }
}
