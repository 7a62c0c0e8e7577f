/** Containers: Sequential runs modules in order; ModuleList and ModuleDict only register them. */
import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import { tidy } from '../../memory/scope.ts';
import { alias } from '../../ops/view.ts';

/** PyTorch's error for containers that only hold modules. */
function missingForward(container: Module): never {
  throw new Error(`Module [${container.constructor.name}] is missing the required "forward" function`);
}

/** Modules kept in order and named by position ('0', '1', ...), as Sequential and ModuleList keep them. */
abstract class ModuleSequence extends Module implements Iterable<Module> {
  readonly #items: Module[];

  constructor(modules: Iterable<Module>) {
    super();
    this.#items = [...modules];
  }

  get length(): number {
    return this.#items.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const i = index < 0 ? index + this.#items.length : index;
    const m = this.#items[i];
    if (!Number.isInteger(i) || !m) throw new RangeError(`${this.constructor.name}.at(): index ${index} is out of range`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#items[Symbol.iterator]();
  }

  /** Adds `module` at the end; returns this. */
  append(module: Module): this {
    this.#items.push(module);
    return this;
  }

  /** The items, then whatever a subclass assigns as properties. */
  protected override ownMembers(): Array<[string, unknown]> {
    return [...this.#items.map((m, i): [string, unknown] => [String(i), m]), ...super.ownMembers()];
  }
}

/**
 * Runs its modules in order, each on the previous one's output, as torch.nn.Sequential.
 * @example
 * const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * model.at(0); // the first Linear; model.namedParameters()[0][0] === '0.weight'
 */
export class Sequential extends ModuleSequence {
  constructor(...modules: Module[]) {
    super(modules);
  }

  forward(x: Tensor): Tensor {
    if (this.length === 0) return alias(x);
    return tidy(() => {
      let out = x;
      for (const m of this) out = (m as Module & { forward(x: Tensor): Tensor }).forward(out);
      return out;
    });
  }
}

/** Holds submodules in a list so they are registered (a plain array is not), as torch.nn.ModuleList. */
export class ModuleList extends ModuleSequence {
  constructor(modules: Iterable<Module> = []) {
    super(modules);
  }

  /** Appends every module of `modules`; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  forward(): never {
    return missingForward(this);
  }
}

/** Holds submodules by name, in insertion order, as torch.nn.ModuleDict; iterates over its keys. */
export class ModuleDict extends Module implements Iterable<string> {
  readonly #items = new Map<string, Module>();

  constructor(modules: Readonly<Record<string, Module>> | Iterable<readonly [string, Module]> = []) {
    super();
    const entries = Symbol.iterator in modules ? (modules as Iterable<readonly [string, Module]>) : Object.entries(modules);
    for (const [key, m] of entries) this.set(key, m);
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): Module | undefined {
    return this.#items.get(key);
  }

  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, module: Module): this {
    if (key.includes('.') || key === '') throw new RangeError(`ModuleDict.set(): module name can't contain "." or be empty, got "${key}"`);
    this.#items.set(key, module);
    return this;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Removes `key`, returning its module, as ModuleDict.pop. */
  delete(key: string): Module | undefined {
    const m = this.#items.get(key);
    this.#items.delete(key);
    return m;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<Module> {
    return this.#items.values();
  }

  entries(): IterableIterator<[string, Module]> {
    return this.#items.entries();
  }

  [Symbol.iterator](): Iterator<string> {
    return this.#items.keys();
  }

  forward(): never {
    return missingForward(this);
  }

  /** The items, then whatever a subclass assigns as properties. */
  protected override ownMembers(): Array<[string, unknown]> {
    return [...this.#items, ...super.ownMembers()];
  }
}
