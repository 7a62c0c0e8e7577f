/** Containers: Sequential runs modules in order; ModuleList and ModuleDict only register them. */
import type { Tensor } from '../../tensor/tensor.ts';
import { Module } from '../module.ts';
import { tidy } from '../../memory/scope.ts';
import { alias } from '../../ops/view.ts';
import { typeName } from '../../tensor/type-name.ts';

/** PyTorch's error for containers that only hold modules. */
function missingForward(container: Module): never {
  throw new Error(`Module [${container.constructor.name}] is missing the required "forward" function`);
}

/** Throws PyTorch's TypeError unless `value` is a Module, naming `op` and where the value was given. */
function checkModule(op: string, where: string, value: unknown): asserts value is Module {
  if (!(value instanceof Module)) throw new TypeError(`${op}(): ${typeName(value)} is not a Module subclass (${where})`);
}

/** The items of `modules`, each checked to be a Module, or a TypeError naming `op` (nothing is added on failure). */
function checkedModules(op: string, modules: unknown, where: (i: number) => string): Module[] {
  if (typeof modules !== 'object' || modules === null || !(Symbol.iterator in modules)) {
    throw new TypeError(`${op}(): expected an iterable of Modules, but got ${typeName(modules)}`);
  }
  const items = [...(modules as Iterable<unknown>)];
  items.forEach((m, i) => checkModule(op, where(i), m));
  return items as Module[];
}

/** Modules kept in order and named by position ('0', '1', ...), as Sequential and ModuleList keep them. */
abstract class ModuleSequence extends Module implements Iterable<Module> {
  readonly #items: Module[];

  constructor(items: readonly Module[]) {
    super();
    this.#items = [...items];
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
    checkModule(`${this.constructor.name}.append`, 'argument 1', module);
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
    super(checkedModules('Sequential', modules, (i) => `argument ${i + 1}`));
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
    super(checkedModules('ModuleList', modules, (i) => `index ${i}`));
  }

  /** Appends every module of `modules` (all or, when one is not a Module, none); returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of checkedModules('ModuleList.extend', modules, (i) => `index ${i}`)) this.append(m);
    return this;
  }

  forward(): never {
    return missingForward(this);
  }
}

/** Throws under `op` unless `key` is a module name (a non-empty string without '.') and `module` a Module. */
function checkEntry(op: string, key: unknown, module: unknown): void {
  if (typeof key !== 'string') throw new TypeError(`${op}(): module name should be a string. Got ${typeName(key)}`);
  if (key.includes('.') || key === '') throw new RangeError(`${op}(): module name can't contain "." or be empty, got "${key}"`);
  checkModule(op, `key '${key}'`, module);
}

/** The [key, module] pairs of a record or an iterable of pairs, all checked before any is added. */
function moduleEntries(modules: unknown): Array<readonly [string, Module]> {
  if (typeof modules !== 'object' || modules === null) {
    throw new TypeError(`ModuleDict(): expected an object or an iterable of key/module pairs, but got ${typeName(modules)}`);
  }
  const entries = Symbol.iterator in modules ? [...(modules as Iterable<unknown>)] : Object.entries(modules);
  for (const [i, entry] of entries.entries()) {
    if (!Array.isArray(entry) || entry.length !== 2) throw new TypeError(`ModuleDict(): element ${i} should be a key/module pair, but got ${typeName(entry)}`);
    checkEntry('ModuleDict', entry[0], entry[1]);
  }
  return entries as Array<readonly [string, Module]>;
}

/** Holds submodules by name, in insertion order, as torch.nn.ModuleDict; iterates over its keys. */
export class ModuleDict extends Module implements Iterable<string> {
  readonly #items = new Map<string, Module>();

  constructor(modules: Readonly<Record<string, Module>> | Iterable<readonly [string, Module]> = []) {
    const entries = moduleEntries(modules);
    super();
    for (const [key, m] of entries) this.#items.set(key, m);
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: string): Module | undefined {
    return this.#items.get(key);
  }

  /** Adds or replaces the module under `key`; returns this. */
  set(key: string, module: Module): this {
    checkEntry('ModuleDict.set', key, module);
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
