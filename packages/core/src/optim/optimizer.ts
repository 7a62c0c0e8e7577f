/** The base of every optimizer: parameter groups, the step driver, zeroGrad and state dicts, as in torch.optim. */
import { Tensor } from '../tensor/tensor.ts';
import { formatShape, shapeEquals } from '../tensor/shape.ts';
import { keep, keepAsGradOf, tidy } from '../memory/scope.ts';
import { noGrad } from '../autograd/mode.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkNumber } from '../options/check-values.ts';
import { typeName } from '../tensor/type-name.ts';

/** The option every optimizer has; each optimizer extends it with its own. */
export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * Keys the LR schedulers add to a group, as PyTorch's do: `initialLr` (torch's `initial_lr`), and
 * OneCycleLR's `maxLr`, `minLr`, `maxMomentum`, `baseMomentum`.
 */
export interface ScheduledGroupFields {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

const SCHEDULED_GROUP_FIELDS: OptionKeys<ScheduledGroupFields> = { initialLr: true, maxLr: true, minLr: true, maxMomentum: true, baseMomentum: true };

/** One parameter group: its tensors and every option (defaults filled in). Schedulers change `lr` here. */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & ScheduledGroupFields & { params: Tensor[] };

/**
 * A group as passed in: its tensors and the options that differ from the optimizer's defaults
 * (and `initialLr`, which a scheduler built with `lastEpoch` to resume needs).
 */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & ScheduledGroupFields & { params: Iterable<Tensor> | Tensor };

/** What an optimizer optimizes: tensors (one group), or groups with per-group options. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** Per-parameter state: tensors the optimizer owns (alone or in lists, as LBFGS's history), and counters such as `step`. */
export type ParamState = Record<string, Tensor | Tensor[] | number | undefined>;

/**
 * PyTorch's `state_dict()` layout: `state` keyed by parameter index (numbered through the groups in
 * order), `param_groups` with `params` as index lists beside the group's options. Option and state
 * names are flint's camelCase ones (`weightDecay` for `weight_decay`, `expAvg` for `exp_avg`, ...);
 * `step` is a number rather than a tensor. The state tensors are the optimizer's own, not copies:
 * do not dispose them, and save or load them before the next `step()` changes them.
 */
export interface OptimizerStateDict<O extends OptimizerOptions = OptimizerOptions, S extends ParamState = ParamState> {
  state: Record<number, S>;
  param_groups: Array<Omit<ParamGroup<O>, 'params'> & { params: number[] }>;
}

/** Whether `value` can be a list of parameters: iterable, and neither a single tensor nor a string. */
function isParamList(value: unknown): value is Iterable<unknown> {
  return typeof (value as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] === 'function' && !(value instanceof Tensor) && typeof value !== 'string';
}

/**
 * Base class of all optimizers. Subclasses say how to start a parameter's state and how to update
 * one parameter; the base runs that for every parameter with a gradient, under `noGrad` and in a
 * `tidy` scope, and owns the state tensors (kept out of any enclosing `tidy`, freed by `dispose()`).
 * @example
 * const opt = new flint.optim.SGD([w, b], { lr: 0.1, momentum: 0.9 });
 * for (const [x, y] of batches) {
 *   flint.tidy(() => {
 *     const loss = x.matmul(w).add(b).sub(y).square().mean();
 *     loss.backward();
 *     opt.step();
 *     opt.zeroGrad();
 *   });
 * }
 */
export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions, S extends ParamState = ParamState> {
  readonly defaults: Readonly<O>;
  readonly paramGroups: Array<ParamGroup<O>> = [];
  /** Each parameter's state, created on its first update. */
  readonly state = new Map<Tensor, S>();
  /**
   * The keys a parameter group may have. Optimizers list no option names of their own: their
   * `defaults` is a complete `O` (every option has a default), so its keys are the option names.
   */
  private readonly groupKeys: OptionKeys<ParamGroup<O>>;
  /** The optimizer's own default values, whose types each option must have. */
  private readonly declared: Readonly<O>;

  /**
   * @param name The optimizer's name, for error messages.
   * @param defaults Every option's default value.
   * @param options The caller's options, overriding `defaults`.
   */
  protected constructor(
    protected readonly name: string,
    params: Params<O>,
    defaults: O,
    options: Partial<O>,
  ) {
    // Its update rule is a subclass's: built directly, the first step would fail far from here.
    if (new.target === Optimizer) throw new TypeError('Optimizer(): is abstract: construct one of its subclasses, such as SGD');
    const optionKeys = Object.fromEntries(Object.keys(defaults).map((key) => [key, true])) as OptionKeys<O>;
    checkOptions(name, options, optionKeys);
    this.groupKeys = { ...optionKeys, ...SCHEDULED_GROUP_FIELDS, params: true } as OptionKeys<ParamGroup<O>>;
    this.declared = defaults;
    this.defaults = withDefaults(defaults, options);
    this.checkTypes(this.defaults);
    this.validate(this.defaults);
    if (!isParamList(params)) throw new TypeError(`${name}(): params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typeName(params)}`);
    const list: unknown[] = [...params];
    if (list.length === 0) throw new Error(`${name}(): optimizer got an empty parameter list`);
    // A list with anything but group objects is a list of parameters; addGroup names a non-Tensor in it.
    if (list.some((p) => p instanceof Tensor || typeof p !== 'object' || p === null)) this.addGroup(list as Tensor[], {});
    else for (const group of list as ParamGroupInput<O>[]) this.addParamGroup(group);
  }

  /** Throws when an option is out of range (run on the defaults and on every group, after {@link checkTypes}). */
  protected abstract validate(options: O): void;
  /** The state of a parameter before its first update. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;
  /**
   * Updates `param` in place from `grad`, updating the state's tensors in place. Runs under
   * `noGrad` in a `tidy` scope; a state tensor it assigns is kept, one it replaces is disposed.
   */
  protected abstract update(param: Tensor, grad: Tensor, group: ParamGroup<O>, state: S): void;

  /** Adds a group of parameters, with options overriding the defaults (e.g. for fine-tuning). */
  addParamGroup(group: ParamGroupInput<O>): void {
    checkOptions(`${this.name}.addParamGroup`, group, this.groupKeys);
    if (group?.params === undefined) throw new TypeError(`${this.name}.addParamGroup(): a parameter group must have 'params'`);
    if (!(group.params instanceof Tensor) && !isParamList(group.params)) {
      throw new TypeError(`${this.name}.addParamGroup(): params must be a Tensor or an iterable of Tensors, but got ${typeName(group.params)}`);
    }
    // The group's own `params` key is overwritten by the list made here.
    this.addGroup(group.params instanceof Tensor ? [group.params] : [...group.params], group);
  }

  private addGroup(params: Tensor[], options: Partial<O>): void {
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}(): optimizer can only optimize Tensors, but one of the params is ${typeName(p)}`);
      if (!p.isLeaf) throw new Error(`${this.name}(): can't optimize a non-leaf Tensor`);
    }
    if (new Set(params).size !== params.length) throw new Error(`${this.name}(): a parameter group contains the same parameter more than once`);
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => taken.has(p))) {
      throw new Error(`${this.name}(): some parameters appear in more than one parameter group`);
    }
    const merged = { ...withDefaults(this.defaults, options), params } as ParamGroup<O>;
    this.checkTypes(merged);
    this.validate(merged);
    this.paramGroups.push(merged);
  }

  /**
   * Performs one optimization step: every parameter with a gradient is updated in place. Every
   * gradient is checked first, so a step that throws has changed no parameter and no state.
   */
  step(): void {
    for (const group of this.paramGroups) for (const param of group.params) if (param.grad) this.checkGrad(param, param.grad);
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const param of group.params) if (param.grad) this.stepParam(param, param.grad, group);
      }
    });
  }

  /** Throws, naming the optimizer, when a parameter's gradient cannot update it. */
  private checkGrad(param: Tensor, grad: Tensor): void {
    const what = `${this.name}.step(): the gradient of a parameter of shape ${formatShape(param.shape)}`;
    if (grad.isDisposed) throw new Error(`${what} was disposed; keep gradients alive until step() (zeroGrad() after it)`);
    if (!shapeEquals(grad.shape, param.shape)) throw new RangeError(`${what} has shape ${formatShape(grad.shape)}`);
    if (grad.device !== param.device) throw new Error(`${what} is on ${grad.device}, the parameter on ${param.device}`);
  }

  private stepParam(param: Tensor, grad: Tensor, group: ParamGroup<O>): void {
    const state = this.state.get(param) ?? this.startState(param, group);
    const before: ParamState = { ...state };
    tidy(() => {
      this.update(param, grad, group, state);
      keepTensors(state);
    });
    for (const [key, value] of Object.entries(before)) if (value instanceof Tensor && state[key] !== value) value.dispose();
  }

  private startState(param: Tensor, group: ParamGroup<O>): S {
    const state = keepTensors(this.initState(param, group));
    this.state.set(param, state);
    return state;
  }

  /**
   * Clears the gradients of every parameter. By default (`setToNone`, PyTorch 2's default) `.grad`
   * becomes null and the old gradient is disposed; otherwise it is zeroed in place and detached.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        const grad = param.grad;
        if (!grad) continue;
        if (setToNone) {
          grad.dispose();
          param.grad = null;
          continue;
        }
        // Like torch's detach_(): a gradient made with createGraph stops carrying its graph.
        if (grad.requiresGrad) {
          const detached = grad.detach();
          grad.dispose();
          param.grad = keepAsGradOf(param, detached);
        }
        noGrad(() => param.grad!.zero_());
      }
    }
  }

  /** The optimizer's state in PyTorch's layout; see {@link OptimizerStateDict}. */
  stateDict(): OptimizerStateDict<O, S> {
    const index = new Map<Tensor, number>();
    const groups = this.paramGroups.map((group) => ({
      ...optionsOf(group),
      params: group.params.map((p) => {
        index.set(p, index.size);
        return index.size - 1;
      }),
    }));
    const state: Record<number, S> = {};
    for (const [param, s] of this.state) state[index.get(param)!] = copyLists(s);
    return { state, param_groups: groups };
  }

  /**
   * Loads a {@link stateDict} (from this or an identically grouped optimizer): copies its state
   * tensors onto each parameter's device, and takes its group options.
   */
  loadStateDict(stateDict: OptimizerStateDict<O, S>): void {
    const op = `${this.name}.loadStateDict`;
    if (typeof stateDict !== 'object' || stateDict === null || !Array.isArray(stateDict.param_groups) || typeof stateDict.state !== 'object' || stateDict.state === null) {
      throw new TypeError(`${op}(): expected a state dict with 'state' and 'param_groups'`);
    }
    const saved = stateDict.param_groups;
    for (const group of saved) {
      checkOptions(op, group, this.groupKeys);
      if (!Array.isArray(group?.params)) throw new TypeError(`${op}(): every parameter group must list its params' indices`);
    }
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(`${this.name}.loadStateDict(): loaded state dict has a different number of parameter groups (${saved.length}, expected ${this.paramGroups.length})`);
    }
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      throw new RangeError(`${this.name}.loadStateDict(): loaded state dict contains a parameter group that doesn't match the size of optimizer's group`);
    }
    for (const group of saved) {
      const options = withDefaults(this.defaults, optionsOf(group) as unknown as Partial<O>);
      this.checkTypes(options);
      this.validate(options);
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i]!.params[j]!)));
    const loaded = new Map<Tensor, S>();
    try {
      for (const [id, s] of Object.entries(stateDict.state)) {
        const param = byIndex.get(Number(id));
        if (!param) throw new RangeError(`${this.name}.loadStateDict(): state for parameter ${id}, which no parameter group lists`);
        loaded.set(param, copyState(s, param));
      }
    } catch (err) {
      for (const s of loaded.values()) disposeState(s);
      throw err;
    }
    this.dispose();
    for (const [param, s] of loaded) this.state.set(param, s);
    saved.forEach((group, i) => {
      this.paramGroups[i] = { ...optionsOf(group), params: this.paramGroups[i]!.params } as ParamGroup<O>;
    });
  }

  /** Frees every state tensor; the next step starts the state afresh. */
  dispose(): void {
    for (const s of this.state.values()) disposeState(s);
    this.state.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Throws unless each option has its default's type: a non-negative finite learning rate, finite
   * numbers, booleans, and lists of finite numbers as long as the default's.
   */
  private checkTypes(options: O): void {
    if (options.lr !== undefined && typeof options.lr !== 'number') checkNumber(this.name, 'lr', options.lr);
    this.check(Number.isFinite(options.lr) && options.lr >= 0, `Invalid learning rate: ${options.lr}`);
    const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
    for (const [key, fallback] of Object.entries(this.declared)) {
      const value = (options as Record<string, unknown>)[key];
      if (typeof fallback === 'number' && typeof value !== 'number') checkNumber(this.name, key, value);
      if (typeof fallback === 'boolean' && typeof value !== 'boolean') throw new TypeError(`${this.name}(): ${key} must be a boolean (got ${typeof value})`);
      if (typeof fallback === 'number') this.check(finite(value), `Invalid ${key} value: ${String(value)}`);
      if (Array.isArray(fallback)) {
        this.check(Array.isArray(value) && value.length === fallback.length && value.every(finite), `Invalid ${key} value: ${String(value)} (expected ${fallback.length} finite numbers)`);
      }
    }
  }

  /** Throws `message` (PyTorch's wording), naming this optimizer, unless `ok`. */
  protected check(ok: boolean, message: string): void {
    if (!ok) throw new RangeError(`${this.name}(): ${message}`);
  }

  /** Throws torch's message unless each of Adam-style `betas` is in [0, 1). */
  protected checkBetas(betas: readonly number[]): void {
    betas.forEach((beta, i) => this.check(beta >= 0 && beta < 1, `Invalid beta parameter at index ${i}: ${beta}`));
  }
}

/** `defaults` overridden by the options that are set (an explicit `undefined` keeps the default). */
function withDefaults<O extends object>(defaults: O, options: Partial<O>): O {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

/** A deep copy of a group's options, without its params. */
function optionsOf<G extends { params: unknown }>(group: G): Omit<G, 'params'> {
  const { params: _params, ...options } = group;
  return structuredClone(options);
}

/** The state's tensors, alone or in lists. */
function tensorsOf(state: ParamState): Tensor[] {
  return Object.values(state).flatMap((value) => (value instanceof Tensor ? [value] : Array.isArray(value) ? value : []));
}

/** A shallow copy whose lists are copies too, so that later steps do not change it. */
function copyLists<S extends ParamState>(state: S): S {
  const out: ParamState = {};
  for (const [key, value] of Object.entries(state)) out[key] = Array.isArray(value) ? [...value] : value;
  return out as S;
}

/** Exempts the state's tensors from every enclosing tidy: the optimizer owns them. */
function keepTensors<S extends ParamState>(state: S): S {
  for (const t of tensorsOf(state)) keep(t);
  return state;
}

/** A kept copy of saved state, its tensors on `param`'s device. */
function copyState<S extends ParamState>(saved: S, param: Tensor): S {
  const out: ParamState = {};
  for (const [key, value] of Object.entries(saved)) {
    const copy = (t: Tensor): Tensor => noGrad(() => tidy(() => t.to(param.device).clone()));
    out[key] = value instanceof Tensor ? copy(value) : Array.isArray(value) ? value.map(copy) : value;
  }
  return keepTensors(out as S);
}

function disposeState(state: ParamState): void {
  for (const t of tensorsOf(state)) t.dispose();
}
