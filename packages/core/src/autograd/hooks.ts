/**
 * Hook lists shared by tensor gradient hooks and module hooks: hooks run in registration order,
 * and each registration returns a handle that removes just that hook, like PyTorch's
 * torch.utils.hooks.RemovableHandle.
 */
import type { Tensor } from '../tensor/tensor.ts';
import { shapeEquals } from '../tensor/shape.ts';

/** Removes the hook it was returned for; `remove()` twice is harmless. */
export class RemovableHandle {
  private static nextId = 0;
  /** A number unique among all handles. */
  readonly id = RemovableHandle.nextId++;

  /** @internal Use the `register...Hook` methods. */
  constructor(private readonly list: HookList<never>) {
    // Declared before HookList, whose instances are the only valid argument (checked when constructed, not at module load).
    if (!(list instanceof HookList)) throw new TypeError('RemovableHandle(): handles are returned by registerHook() and the module register...Hook() methods, not made with new');
  }

  /** Unregisters the hook. */
  remove(): void {
    this.list.delete(this.id);
  }
}

/** @internal Hooks in registration order, keyed by their handles' ids. */
export class HookList<F> {
  private readonly hooks = new Map<number, F>();

  get size(): number {
    return this.hooks.size;
  }

  /** Appends `hook`; the handle removes it. */
  add(hook: F): RemovableHandle {
    const handle = new RemovableHandle(this as unknown as HookList<never>);
    this.hooks.set(handle.id, hook);
    return handle;
  }

  delete(id: number): void {
    this.hooks.delete(id);
  }

  clear(): void {
    this.hooks.clear();
  }

  /** A snapshot, so that a hook removing itself (or another) does not disturb the current run. */
  values(): F[] {
    return [...this.hooks.values()];
  }
}

/** A gradient hook: sees the gradient and may return a tensor of the same shape to use instead. */
export type TensorHook = (grad: Tensor) => Tensor | void;

/** Passes `grad` through each hook in order; a returned tensor replaces it (checked as PyTorch does). */
export function applyTensorHooks(hooks: HookList<TensorHook> | null, grad: Tensor): Tensor {
  if (!hooks || hooks.size === 0) return grad;
  let g = grad;
  for (const hook of hooks.values()) {
    const returned: unknown = hook(g);
    if (returned === undefined || returned === null) continue;
    const result = returned as Tensor;
    const name = hook.name || '<anonymous>';
    if (!shapeEquals(result.shape, g.shape)) throw new Error(`hook '${name}' has changed the size of value`);
    if (result.dtype !== g.dtype) throw new TypeError(`hook '${name}' has changed the type of value (was ${g.dtype} got ${result.dtype})`);
    if (result.device !== g.device) throw new Error(`hook '${name}' has changed the device of value (was ${g.device} got ${result.device})`);
    g = result;
  }
  return g;
}
