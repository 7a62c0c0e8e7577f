/**
 * What weight norm and spectral norm share, as in PyTorch 1.13: a parameter replaced by others
 * from which it is recomputed by a forward pre-hook, at most one of each kind per parameter, and
 * removal that turns the current value back into a plain parameter.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import type { RemovableHandle } from '../../autograd/hooks.ts';
import type { Module } from '../module.ts';
import { Parameter } from '../parameter.ts';

/** The module's properties by name. */
export function members(module: Module): Record<string, unknown> {
  return module as unknown as Record<string, unknown>;
}

/** The parameter `name` of `module`, or PyTorch's error for a missing attribute (and a clear one for a non-parameter). */
export function parameterOf(module: Module, name: string): Parameter {
  const value = members(module)[name];
  if (value === undefined) throw new Error(`'${module.constructor.name}' object has no attribute '${name}'`);
  if (!(value instanceof Parameter)) throw new TypeError(`'${name}' of ${module.constructor.name} is not a parameter`);
  return value;
}

/** One parameter's reparametrization on one module. */
export abstract class Reparametrization {
  /** A value set outside any forward (at registration), which this owns until a forward replaces it. */
  #standing: Tensor | null = null;
  #handle: RemovableHandle | null = null;

  constructor(readonly module: Module, readonly name: string) {}

  /** The parameter's value from the new parameters (and, for spectral norm, the training mode). */
  protected abstract compute(training: boolean): Tensor;

  /**
   * Sets the module's attribute. A standing value is owned by the module (exempt from `tidy`) and
   * freed when it is replaced or the module is disposed; a forward's value is an intermediate of
   * that forward, freed with its scope.
   */
  protected setValue(value: Tensor, standing: boolean): void {
    this.#dropStanding();
    if (standing) {
      this.module.own(value);
      this.#standing = value;
    }
    members(this.module)[this.name] = value;
  }

  #dropStanding(): void {
    if (this.#standing) this.module.disown(this.#standing);
    this.#standing = null;
  }

  /** Starts recomputing the value before each forward. */
  protected attach(): void {
    this.#handle = this.module.registerForwardPreHook((m) => this.setValue(this.compute(m.training), false));
  }

  /** The properties that replaced the parameter, which removal disposes and deletes. */
  protected abstract replacements(): { parameters: string[]; buffers: string[] };

  /**
   * Turns the module's parameter back into a plain one holding the current value (computed as
   * in eval, without autograd), disposing the parameters and buffers that replaced it.
   */
  remove(): void {
    const weight = noGrad(() => this.compute(false));
    this.#handle?.remove();
    this.#dropStanding();
    const m = members(this.module);
    delete m[this.name];
    const { parameters, buffers } = this.replacements();
    for (const name of [...parameters, ...buffers]) (m[name] as Tensor).dispose();
    for (const name of buffers) this.module.registerBuffer(name, null);
    for (const name of [...parameters, ...buffers]) delete m[name];
    // Assigned last, the parameter comes after the module's others, as PyTorch's register_parameter.
    m[this.name] = new Parameter(weight);
    weight.dispose();
  }
}

const registered = new WeakMap<Module, Map<string, Reparametrization>>();

/** Records `make()`'s reparametrization of `name` on `module`, refusing a second of the same kind, with PyTorch's message. */
export function register<R extends Reparametrization>(kind: string, module: Module, name: string, make: () => R): R {
  const own = registered.get(module) ?? new Map<string, Reparametrization>();
  if (own.has(`${kind}:${name}`)) throw new Error(`Cannot register two ${kind} hooks on the same parameter ${name}`);
  const r = make();
  own.set(`${kind}:${name}`, r);
  registered.set(module, own);
  return r;
}

/** Removes `module`'s reparametrization of `name` of this kind, or throws PyTorch's error if there is none. */
export function unregister(kind: string, module: Module, name: string): void {
  const own = registered.get(module);
  const r = own?.get(`${kind}:${name}`);
  if (!r) throw new Error(`${kind} of '${name}' not found in ${module.toString()}`);
  r.remove();
  own!.delete(`${kind}:${name}`);
}
