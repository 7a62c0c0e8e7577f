/** Deep copies of modules, as PyTorch makes them with copy.deepcopy (TransformerEncoder's layer clones). */
import { Tensor } from '../../tensor/tensor.ts';
import { noGrad } from '../../autograd/mode.ts';
import { tidy } from '../../memory/scope.ts';
import { Module, stateName } from '../module.ts';
import { Parameter } from '../parameter.ts';
import { ModuleDict, ModuleList, Sequential } from '../layers/containers.ts';

type Memo = Map<object, unknown>;
type Constructor = new (...args: never[]) => object;

/**
 * The blank copy of `m`: an object of `m`'s class on which only the base class's constructor ran
 * (a layer's own constructor needs its arguments, and its state is copied afterwards). Containers keep
 * their items in private fields, which only their own constructor can set up, so it runs with the
 * cloned items.
 */
function blank(m: Module, memo: Memo): Module {
  const target = m.constructor as Constructor;
  const items = (list: Iterable<Module>): Module[] => [...list].map((child) => copyValue(child, memo) as Module);
  if (m instanceof Sequential) return Reflect.construct(Sequential, items(m), target) as Module;
  if (m instanceof ModuleList) return Reflect.construct(ModuleList, [items(m)], target) as Module;
  if (m instanceof ModuleDict) return Reflect.construct(ModuleDict, [[...m.entries()].map(([k, child]) => [k, copyValue(child, memo)])], target) as Module;
  return Reflect.construct(Module as unknown as Constructor, [], target) as Module;
}

function copyModule(m: Module, memo: Memo): Module {
  const copy = blank(m, memo);
  memo.set(m, copy);
  const buffers = new Set<Tensor>(m.buffers(false));
  const state = m.stateDict();
  const persistent = new Set(state.keys());
  for (const t of state.values()) t.dispose();
  const slots = copy as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(m)) {
    if (value instanceof Tensor && buffers.has(value)) {
      const cloned = (memo.get(value) as Tensor | undefined) ?? noGrad(() => value.clone());
      memo.set(value, cloned);
      copy.registerBuffer(key, cloned, persistent.has(stateName(key)));
    } else slots[key] = copyValue(value, memo);
  }
  return copy;
}

/** One value of a module's state, deep-copied where it is module state, shared where it is not. */
function copyValue(value: unknown, memo: Memo): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (memo.has(value)) return memo.get(value);
  let copy: unknown;
  if (value instanceof Parameter) copy = tidy(() => new Parameter(noGrad(() => value.detach().clone()), value.requiresGrad));
  else if (value instanceof Module) return copyModule(value, memo);
  else if (Array.isArray(value)) {
    const list: unknown[] = [];
    memo.set(value, list);
    for (const item of value) list.push(copyValue(item, memo));
    return list;
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const record: Record<string, unknown> = {};
    memo.set(value, record);
    for (const [k, v] of Object.entries(value)) record[k] = copyValue(v, memo);
    return record;
  } else copy = value;
  memo.set(value, copy);
  return copy;
}

/**
 * A deep copy of `module`, as `copy.deepcopy(module)` in PyTorch: the same class, settings and
 * training mode, with new parameters and buffers holding copies of the current values (no
 * gradients), and every submodule copied likewise. What is shared inside `module` (a parameter used
 * twice, a submodule held twice) is shared inside the copy. Arrays and plain objects are copied;
 * other values (functions, generators, tensors that are neither parameters nor buffers) are shared
 * with the original. The copy owns its tensors: `copy.dispose()` frees them.
 * @example
 * const layer = new nn.TransformerEncoderLayer(64, 4);
 * const stack = [nn.utils.cloneModule(layer), nn.utils.cloneModule(layer)]; // independent weights
 */
export function cloneModule<M extends Module>(module: M): M {
  return copyModule(module, new Map()) as M;
}
