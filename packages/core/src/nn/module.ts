import { Tensor } from '../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../tensor/shape.ts';
import { keep, tidy } from '../memory/scope.ts';
import { noGrad } from '../autograd/mode.ts';
import { moveTo, moveToAsync } from '../ops/device.ts';
import { backendFor } from '../backend/registry.ts';
import { Parameter } from './parameter.ts';
import { addIndent } from './repr.ts';
import type { RemovableHandle } from '../autograd/hooks.ts';
import { ModuleHooks, type ForwardHook, type ForwardPreHook, type FullBackwardHook } from './module-hooks.ts';
import { nameFailingModule } from './module-errors.ts';
import { activeRecorder } from '../profiler/recorder.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkNoArguments } from '../options/check-values.ts';

export interface LoadStateDictOptions {
  /** Every key must match the module's (default true); otherwise mismatches are only reported. */
  strict?: boolean;
}

const LOAD_STATE_DICT_OPTIONS: OptionKeys<LoadStateDictOptions> = { strict: true };

/** What {@link Module.loadStateDict} reports, like PyTorch's `_IncompatibleKeys`. */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * The name PyTorch would give a property: camelCase becomes snake_case (`runningMean` →
 * `running_mean`, `outProj` → `out_proj`), so state dicts match PyTorch's keys.
 */
export function stateName(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Base class of every layer and model, as torch.nn.Module. Parameters and submodules are found by
 * walking the instance's own properties in the order they were first assigned: a property holding
 * a {@link Parameter} is a parameter, one holding a Module is a child (`null` is allowed, e.g.
 * `bias = null`). Names are reported in PyTorch's snake_case, dotted through children
 * (`features.0.weight`). Plain arrays of modules are not registered; use `ModuleList`.
 *
 * JavaScript objects cannot be called, so run a module with `model.forward(x)` or `model.call(x)`:
 * both are PyTorch's `model(x)`. The base class wraps each instance's `forward` once, so that its
 * hooks ({@link registerForwardPreHook}, {@link registerForwardHook},
 * {@link registerFullBackwardHook}) run on every call, also when a container or a parent's
 * forward calls it; a subclass's `super.forward(x)` calls the parent's computation without running
 * the hooks again. Assigning `model.forward = fn` replaces the computation and keeps the hooks.
 * (A subclass that defines `forward` as a class field, rather than a method, bypasses hooks.)
 * An error thrown inside a forward names the innermost failing module, by its path from the
 * module called and its repr: `layers.0 (Linear(in_features=10, out_features=5, bias=True)): ...`.
 * @example
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(4, 8);
 *   fc2 = new nn.Linear(8, 2);
 *   forward(x: flint.Tensor): flint.Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * const net = new Net();
 * net.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
export abstract class Module {
  /** Whether the module is in training mode (dropout active, batch norm using batch statistics). */
  training = true;
  /** Registered buffer properties, in registration order, and whether each is persistent. */
  readonly #buffers = new Map<string, boolean>();

  /** Tensors this module holds outside its parameters and buffers, freed by {@link dispose}. */
  readonly #owned = new Set<Tensor>();
  /** This module's hooks; null until one is registered. */
  #hooks: ModuleHooks<Module> | null = null;

  /**
   * Takes no arguments, as torch.nn.Module: a subclass that defines no constructor of its own (an
   * activation such as `Tanh`) inherits this one, so an argument given to it is an error under the
   * subclass's name rather than silently dropped.
   */
  constructor(...args: never[]) {
    checkNoArguments(new.target.name, args);
    // The subclass's method, found through the prototype chain, which is complete here.
    let compute = this.forward as (...args: unknown[]) => unknown;
    const call = (args: unknown[]): unknown => (this.#hooks ? this.#hooks.run(this, compute, args) : compute.apply(this, args));
    const forward = (...args: unknown[]): unknown => {
      try {
        const recorder = activeRecorder();
        return recorder ? recorder.scope(this.constructor.name, 'module', () => call(args)) : call(args);
      } catch (err) {
        nameFailingModule(err, this);
        throw err;
      }
    };
    Object.defineProperty(this, 'forward', {
      configurable: true,
      enumerable: false,
      get: () => forward,
      set: (fn: (...args: unknown[]) => unknown) => {
        compute = fn;
      },
    });
  }

  /** The computation; subclasses define it with their own signature. Calling it runs the module's hooks. */
  abstract forward(...args: never[]): unknown;

  /** Runs {@link forward} (with the module's hooks); the stand-in for PyTorch's `module(x)`. */
  call(...args: Parameters<this['forward']>): ReturnType<this['forward']> {
    return (this.forward as (...a: unknown[]) => ReturnType<this['forward']>)(...args);
  }

  #hookLists(): ModuleHooks<Module> {
    return (this.#hooks ??= new ModuleHooks());
  }

  /**
   * Registers `hook(module, args)` to run before every forward, as PyTorch's
   * `register_forward_pre_hook`: returning an array replaces the arguments (any other value is
   * taken as the only argument; undefined keeps them).
   * @example const h = model.registerForwardPreHook((m, [x]) => [(x as flint.Tensor).mul(2)]); h.remove();
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return this.#hookLists().forwardPre.add(hook as ForwardPreHook<Module>);
  }

  /**
   * Registers `hook(module, args, output)` to run after every forward, as PyTorch's
   * `register_forward_hook`: returning a value replaces the output.
   * @example model.registerForwardHook((m, args, out) => { activations.push(flint.keep((out as flint.Tensor).detach())); });
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return this.#hookLists().forward.add(hook as ForwardHook<Module>);
  }

  /**
   * Registers `hook(module, gradInput, gradOutput)`, as PyTorch's `register_full_backward_hook`:
   * it runs in backward once the gradients with respect to the module's positional tensor
   * arguments are computed; `gradInput` has one entry per argument (zeros for a tensor that does
   * not require grad, null for a non-tensor), `gradOutput` one per output tensor (the output, or
   * the entries of an output array). Returning an array of the same length replaces `gradInput`.
   * When no argument requires grad the hook runs with nulls once the output gradients are known.
   * Tensors inside objects are not seen, as in PyTorch. Calls under `noGrad` record nothing. Unlike
   * PyTorch, an output of several that no gradient reached shows zeros rather than null. A call
   * with several tensor arguments (or outputs) requiring grad copies them into one buffer, so that
   * one backward step sees all their gradients together.
   * @example lin.registerFullBackwardHook((m, [gx]) => [gx!.clamp(-1, 1)]);
   */
  registerFullBackwardHook(hook: FullBackwardHook<this>): RemovableHandle {
    return this.#hookLists().backward.add(hook as FullBackwardHook<Module>);
  }

  /** Direct members as `[name, value]`, in order. Containers override it to list their items. */
  protected ownMembers(): Array<[string, unknown]> {
    return Object.entries(this).map(([key, value]) => [stateName(key), value]);
  }

  /**
   * Registers a tensor that is state but not a parameter (BatchNorm's running statistics), stored
   * as property `name`. The module takes ownership: the tensor is exempt from `tidy` and freed by
   * {@link dispose}. Non-persistent buffers are left out of {@link stateDict}.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (name.includes('.') || name === '') throw new RangeError(`registerBuffer(): buffer name can't contain "." or be empty, got "${name}"`);
    if (tensor) keep(tensor);
    this.#buffers.set(name, persistent);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  #ownParameters(): Array<[string, Parameter]> {
    return this.ownMembers().filter((m): m is [string, Parameter] => m[1] instanceof Parameter);
  }

  #ownBuffers(persistentOnly = false): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    for (const [key, persistent] of this.#buffers) {
      const value = (this as unknown as Record<string, unknown>)[key];
      if (value instanceof Tensor && (persistent || !persistentOnly)) out.push([stateName(key), value]);
    }
    return out;
  }

  /** The immediate submodules with their names. */
  namedChildren(): Array<[string, Module]> {
    return this.ownMembers().filter((m): m is [string, Module] => m[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every submodule, each once, with dotted names ('' for this one). */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const visit = (module: Module, name: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [child, m] of module.namedChildren()) visit(m, name ? `${name}.${child}` : child);
    };
    visit(this, prefix);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Tensors gathered from each module (or only this one), each tensor once, with dotted names. */
  #namedMembers<T extends Tensor>(own: (m: Module) => Array<[string, T]>, prefix: string, recurse: boolean): Array<[string, T]> {
    const modules: Array<[string, Module]> = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const seen = new Set<T>();
    const out: Array<[string, T]> = [];
    for (const [path, module] of modules) {
      for (const [name, t] of own(module)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([path ? `${path}.${name}` : name, t]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted name, as PyTorch's named_parameters(); shared ones appear once. */
  namedParameters(prefix = '', recurse = true): Array<[string, Parameter]> {
    return this.#namedMembers((m) => m.#ownParameters(), prefix, recurse);
  }

  /** Every parameter, in registration order; what an optimizer is given. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = '', recurse = true): Array<[string, Tensor]> {
    return this.#namedMembers((m) => m.#ownBuffers(), prefix, recurse);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** Sets training mode here and in every submodule; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requiresGrad` on every parameter (false freezes them); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Drops every parameter's gradient (disposing it), like PyTorch's zero_grad(set_to_none=True). */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Calls `fn` on every submodule (children first) and then on this one; returns this. */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Every tensor {@link to} moves: parameters, their gradients, and buffers not yet on `device`. */
  #movable(device: string): Tensor[] {
    const target = backendFor(device);
    const params = this.parameters();
    return [...params, ...params.flatMap((p) => (p.grad ? [p.grad] : [])), ...this.buffers()].filter((t) => t.backend !== target);
  }

  /**
   * Moves every parameter, gradient and buffer to `device` in place: the same tensor objects now
   * live there, so an optimizer built before the move keeps working. Needs a source backend that
   * reads synchronously; {@link toAsync} works from any. Returns this.
   */
  to(device: string): this {
    for (const t of this.#movable(device)) t.setData(noGrad(() => moveTo(t, device)));
    return this;
  }

  /** {@link to} for backends that read only asynchronously. */
  async toAsync(device: string): Promise<this> {
    for (const t of this.#movable(device)) {
      // A detached view: the copy must not be recorded, and grad mode may change across the await.
      const view = t.detach();
      const moved = await moveToAsync(view, device);
      view.dispose();
      t.setData(moved);
    }
    return this;
  }

  /** Persistent state of this module and its children, keyed as PyTorch would: parameters, then buffers, per module. */
  #stateEntries(prefix = ''): Array<[string, Tensor]> {
    const own = [...this.#ownParameters(), ...this.#ownBuffers(true)].map(([name, t]): [string, Tensor] => [prefix + name, t]);
    return [...own, ...this.namedChildren().flatMap(([name, child]) => child.#stateEntries(`${prefix}${name}.`))];
  }

  /**
   * Every parameter and persistent buffer, keyed like PyTorch's state_dict() (`0.weight`,
   * `bn.running_mean`, `bn.num_batches_tracked`). Values are detached views sharing the module's
   * storage: dispose them (or call inside `tidy`) when done.
   */
  stateDict(): Map<string, Tensor> {
    return new Map(this.#stateEntries().map(([key, t]) => [key, t.detach()]));
  }

  /**
   * Copies `state` into this module's parameters and buffers in place (no autograd), moving values
   * to each tensor's device and casting to its dtype, as PyTorch's `copy_`. With `strict`
   * (default), missing or unexpected keys throw PyTorch's error; a shape mismatch, a value that is
   * not a tensor or a disposed tensor always throws. Everything is checked before anything is
   * written, so a call that throws leaves the module unchanged.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>, options: LoadStateDictOptions = {}): LoadResult {
    checkOptions('loadStateDict', options, LOAD_STATE_DICT_OPTIONS);
    const strict = options.strict ?? true;
    if (state === null || typeof state !== 'object') {
      throw new TypeError(`loadStateDict(): expected a Map or an object of tensors, got ${state === null ? 'null' : typeof state}`);
    }
    const given = state instanceof Map ? (state as ReadonlyMap<string, unknown>) : new Map<string, unknown>(Object.entries(state));
    const expected = new Map(this.#stateEntries());
    const errors: string[] = [];
    const copies: Array<[Tensor, Tensor]> = [];
    for (const [key, target] of expected) {
      if (!given.has(key)) continue;
      const src = given.get(key);
      if (!(src instanceof Tensor)) errors.push(`value for ${key} is not a tensor (got ${src === null ? 'null' : typeof src}).`);
      else if (src.isDisposed) errors.push(`value for ${key} is a disposed tensor.`);
      else if (!shapeEquals(src.shape, target.shape)) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${formatShape(src.shape)} from checkpoint, the shape in current model is ${formatShape(target.shape)}.`);
      } else copies.push([target, src]);
    }
    const missingKeys = [...expected.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !expected.has(k));
    if (strict) {
      const list = (keys: string[]): string => keys.map((k) => `"${k}"`).join(', ');
      if (unexpectedKeys.length > 0) errors.unshift(`Unexpected key(s) in state_dict: ${list(unexpectedKeys)}. `);
      if (missingKeys.length > 0) errors.unshift(`Missing key(s) in state_dict: ${list(missingKeys)}. `);
    }
    if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    noGrad(() => tidy(() => {
      for (const [target, src] of copies) {
        const value = src.to(target.device);
        target.copy_(value.dtype === target.dtype ? value : value.to(target.dtype));
      }
    }));
    return { missingKeys, unexpectedKeys };
  }

  /**
   * @internal Makes this module own `tensor` (kept from `tidy`) until {@link disown} or
   * {@link dispose}: a value it holds that is neither a parameter nor a buffer.
   */
  own(tensor: Tensor): void {
    this.#owned.add(keep(tensor));
  }

  /** @internal Frees a tensor handed to {@link own}. */
  disown(tensor: Tensor): void {
    this.#owned.delete(tensor);
    tensor.dispose();
  }

  /** Frees every parameter (with its gradient) and buffer of this module and its children. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
    for (const m of this.modules()) {
      for (const t of m.#owned) t.dispose();
      m.#owned.clear();
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The layer's settings as its repr shows them, e.g. `in_features=6, out_features=4, bias=True`. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr: `Linear(in_features=6, out_features=4, bias=True)`, children indented. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this.namedChildren().map(([name, child]) => `(${name}): ${addIndent(child.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let body = '';
    if (extraLines.length === 1 && childLines.length === 0) body = extraLines[0]!;
    else if (lines.length > 0) body = `\n  ${lines.join('\n  ')}\n`;
    return `${this.constructor.name}(${body})`;
  }
}
