import type { AnyTypedArray, Backend, DType, View } from '../backend/types.ts';
import type { Node } from '../autograd/node.ts';
import type { ViewGroup } from '../autograd/views.ts';
import { HookList, type RemovableHandle, type TensorHook } from '../autograd/hooks.ts';
import { StorageRef } from '../memory/storage-ref.ts';
import { guard, reguard, setTensorCheck, trackTensor, untrackTensor, type Holding } from '../memory/scope.ts';
import { type Shape, contiguousStrides, formatShape, isContiguous, numel, shapeEquals } from './shape.ts';
import { typeName } from './type-name.ts';
import { dtypeNamed } from './dtype.ts';
import { formatTensor } from './format.ts';
import * as ew from '../ops/elementwise.ts';
import * as cmp from '../ops/compare.ts';
import * as red from '../ops/reduce.ts';
import * as vw from '../ops/view.ts';
import * as idx from '../ops/indexing.ts';
import * as inplace from '../ops/inplace.ts';
import * as shp from '../ops/shape.ts';
import * as scan from '../ops/scan.ts';
import * as srt from '../ops/sort.ts';
import * as uniq from '../ops/unique.ts';
import * as adv from '../ops/advanced-index.ts';
import * as iw from '../ops/index-writes.ts';
import * as creation from '../ops/creation.ts';
import type { CreateOptions, NestedData } from '../ops/creation.ts';
import { maskedFill } from '../ops/masked.ts';
import { needsGrad } from '../ops/kernel.ts';
import { matmul } from '../ops/linalg.ts';
import { softmax, logSoftmax } from '../ops/softmax.ts';
import { split, chunk } from '../ops/join.ts';
import { cast } from '../ops/cast.ts';
import { moveTo, moveToAsync } from '../ops/device.ts';
import { BACKWARD_OPTIONS, backward, type BackwardOptions } from '../autograd/engine.ts';
import { deviceName } from '../backend/registry.ts';
import * as trig from '../ops/trig.ts';
import * as special from '../ops/special.ts';
import * as rounding from '../ops/rounding.ts';
import * as division from '../ops/division.ts';
import * as mth from '../ops/math.ts';
import * as stats from '../ops/statistics.ts';
import * as nrm from '../ops/norm.ts';
import * as act from '../ops/activation.ts';
import { checkOptions } from '../options/check-options.ts';

/** A tensor operand: another tensor, or a JavaScript number/boolean broadcast as a scalar. */
export type TensorLike = Tensor | number | boolean;

/** Nested arrays as returned by `tolist()`. */
export type NestedArray = number | boolean | NestedArray[];

let nextId = 0;
/** @internal The id the next tensor will get; lets autograd tell tensors made during a pass. */
export function peekNextTensorId(): number {
  return nextId;
}

/**
 * An n-dimensional array on one device, with autograd. A tensor is a view (shape, strides, offset)
 * over a refcounted storage: views share storage and copy nothing.
 */
export class Tensor {
  readonly id = nextId++;
  private gradSlot: Tensor | null = null;
  private node: Node | null = null;
  /** @internal The base and views sharing this tensor's graph for in-place writes; null until a view is made. */
  viewGroup: ViewGroup | null = null;
  /** The group's node this view's own node was derived from. */
  private derivedFrom: Node | null = null;
  private requires = false;
  private disposed = false;
  /** @internal Gradient hooks of this tensor while it is a leaf (a non-leaf's live on its node). */
  leafGradHooks: HookList<TensorHook> | null = null;
  /** @internal The garbage-collection backstop's entry for this tensor, if it has one (see memory/scope.ts). */
  holding: Holding | null = null;

  /** @internal Use `flint.tensor()`, `flint.zeros()`... to create tensors. */
  constructor(
    /** @internal */ readonly ref: StorageRef,
    readonly shape: Shape,
    readonly strides: Shape,
    readonly offset: number,
    readonly dtype: DType,
  ) {
    // Plain JavaScript can call the constructor with anything; tensors come from the creation functions.
    if (!(ref instanceof StorageRef)) throw new TypeError('Tensor(): tensors are made by flint.tensor(data), zeros(shape), randn(shape) and the other creation functions, not by new Tensor()');
    trackTensor(this);
  }

  /** @internal A tensor owning a fresh contiguous storage. */
  static fromStorage(backend: Backend, storage: View['storage'], shape: Shape, dtype: DType): Tensor {
    return new Tensor(new StorageRef(backend, storage), shape, contiguousStrides(shape), 0, dtype);
  }

  /**
   * Accumulated gradient, filled by `backward()` on leaves that require grad. It belongs to this
   * tensor and is disposed with it; `clone()` it to keep it longer.
   */
  get grad(): Tensor | null {
    return this.gradSlot;
  }
  set grad(g: Tensor | null) {
    if (g !== null) this.assertGrad(g);
    const old = this.gradSlot;
    this.gradSlot = g;
    if (this.holding) this.holding.grad = g;
    // A gradient let go undisposed may have been covered only through this tensor's entry.
    if (old && old !== g && !old.isDisposed) guard(old);
  }

  /** PyTorch's checks on an assigned `.grad`: it must be able to hold this tensor's gradient. */
  private assertGrad(g: Tensor): void {
    if (!(g instanceof Tensor)) throw new TypeError(`grad: assigned grad expected to be a Tensor or null but got grad of type ${typeName(g)}`);
    if (g === this) throw new Error("grad: can't assign Variable as its own grad");
    if (g.dtype !== this.dtype) throw new TypeError(`grad: assigned grad has data of a different type (${g.dtype}, the tensor is ${this.dtype})`);
    if (g.backend !== this.backend) throw new Error(`grad: assigned grad has data located on a different device (${g.device}, the tensor is on ${this.device})`);
    if (!shapeEquals(g.shape, this.shape)) throw new RangeError(`grad: assigned grad has data of a different size (${formatShape(g.shape)}, the tensor is ${formatShape(this.shape)})`);
  }

  // ---- metadata ------------------------------------------------------------------------------
  /** The backend name this tensor lives on, e.g. `cpu-js`. */
  get device(): string {
    return deviceName(this.ref.backend);
  }
  /** @internal */
  get backend(): Backend {
    return this.ref.backend;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return numel(this.shape);
  }
  numel(): number {
    return numel(this.shape);
  }
  dim(): number {
    return this.shape.length;
  }
  isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
  }
  /** Count of in-place writes to this tensor's storage. */
  get version(): number {
    return this.ref.version;
  }
  get isDisposed(): boolean {
    return this.disposed;
  }
  get requiresGrad(): boolean {
    this.rederive();
    return this.requires;
  }
  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }
  /** The op that made this tensor's current values, if autograd recorded one. */
  get gradFn(): Node | null {
    this.rederive();
    return this.node;
  }
  /** @internal Makes this new view share `group`'s graph. */
  joinViewGroup(group: ViewGroup): void {
    this.viewGroup = group;
    this.derivedFrom = group.node;
  }
  /** A view whose base was written in place since its node was made reads the base's new history. */
  private rederive(): void {
    const group = this.viewGroup;
    if (!group || group.base === this || group.node === this.derivedFrom || this.disposed) return;
    this.derivedFrom = group.node;
    this.node = group.viewNode(this);
    this.requires = true;
  }
  /** True for tensors created by the user rather than by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /** @internal The strided window kernels read. */
  get layout(): View {
    // Made once: kernels read it on every op, and the layout only changes in setData.
    return (this.cachedLayout ??= { storage: this.ref.storage, dtype: this.dtype, shape: this.shape, strides: this.strides, offset: this.offset });
  }
  private cachedLayout: View | undefined;

  // ---- autograd ------------------------------------------------------------------------------
  /** Marks a leaf as needing gradients (in place); returns this. */
  requiresGrad_(value = true): this {
    this.assertAlive('requiresGrad_');
    if (!this.isLeaf && !value) {
      throw new Error('requiresGrad_(): you can only change requires_grad flags of leaf variables. Use detach() to get a tensor without history.');
    }
    if (value && this.dtype !== 'float32') {
      throw new TypeError(`requiresGrad_(): only floating point tensors can require gradients, got dtype ${this.dtype}`);
    }
    this.requires = value;
    return this;
  }
  /** @internal Set by ops that record the graph. */
  setGradFn(node: Node): void {
    this.node = node;
    this.requires = true;
    const group = this.viewGroup;
    if (group?.base === this) group.node = node;
    else if (group) this.derivedFrom = group.node;
  }
  /** Fills `.grad` on this non-leaf tensor during backward, like PyTorch's retain_grad(). */
  retainGrad(): this {
    this.assertAlive('retainGrad');
    if (this.gradFn) this.gradFn.retained = this;
    else if (!this.requires) throw new Error("retainGrad(): can't retain_grad on Tensor that has requires_grad=False");
    return this;
  }
  /**
   * Registers `hook` to run each time `backward()` computes the gradient with respect to this
   * tensor, as PyTorch's `register_hook`: it receives the gradient (summed over every use) and may
   * return a tensor of the same shape to use instead: for a leaf, before it is accumulated into
   * `.grad`; for a non-leaf, before it flows on to the op that made it. Hooks run in registration
   * order, each seeing the previous one's result. `autograd.grad()` runs the hooks of tensors it
   * passes through but not those of its inputs (as PyTorch 1.13).
   *
   * A non-leaf's hook belongs to the op that made its current values: if the tensor (or its base)
   * is later written in place, the hook sees the gradient with respect to the values it had when
   * the hook was registered, and does not run if those values no longer reach the output (as
   * PyTorch). Tensors a hook creates are freed when `backward()` returns; `flint.keep` any it
   * stores.
   * @example
   * const h = x.registerHook((g) => g.clamp(-1, 1)); // clip x's gradient
   * loss.backward();
   * h.remove();
   */
  registerHook(hook: TensorHook): RemovableHandle {
    this.assertAlive('registerHook');
    if (!this.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
    const node = this.gradFn;
    if (node) return (node.hooks ??= new HookList()).add(hook);
    return (this.leafGradHooks ??= new HookList()).add(hook);
  }
  /** A view of the same data without history. */
  detach(): Tensor {
    return vw.detach(this);
  }
  /** Computes gradients of this tensor with respect to the graph's leaves. */
  backward(options: BackwardOptions = {}): void {
    checkOptions('backward', options, BACKWARD_OPTIONS);
    backward([this], options.gradient ? [options.gradient] : undefined, options);
  }

  // ---- memory and data -----------------------------------------------------------------------
  /** Releases this tensor's share of its storage. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    untrackTensor(this);
    this.ref.release();
    this.node = null;
    this.leafGradHooks = null;
    this.gradSlot?.dispose();
    this.grad = null;
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  /**
   * @internal Makes this tensor view `src`'s data (same dtype) and disposes `src`. The object, and
   * so every reference to it (an optimizer's parameter list), stays the same while its storage
   * moves, as PyTorch's `param.data = ...` does; `grad` and `requiresGrad` are kept.
   */
  setData(src: Tensor): void {
    this.assertAlive('setData');
    if (src.dtype !== this.dtype) throw new TypeError(`setData(): expected dtype ${this.dtype}, got ${src.dtype}`);
    const old = this.ref;
    const layout = this as { -readonly [K in 'ref' | 'shape' | 'strides' | 'offset']: Tensor[K] };
    layout.ref = src.ref.retain();
    layout.shape = src.shape;
    layout.strides = src.strides;
    layout.offset = src.offset;
    this.cachedLayout = undefined;
    // Views made before no longer share this tensor's storage.
    this.viewGroup = null;
    reguard(this);
    old.release();
    src.dispose();
  }

  /** @internal Throws if the tensor was disposed. */
  assertAlive(op: string): void {
    if (this.disposed) throw new Error(`${op}(): Tensor has been disposed (shape [${this.shape.join(', ')}], ${this.dtype}); it can no longer be used.`);
  }
  /** A contiguous host copy of the values. */
  async data(): Promise<AnyTypedArray> {
    this.assertAlive('data');
    const c = this.contiguousStorageTensor();
    try {
      const all = await c.backend.read(c.ref.storage);
      return all.length === this.size ? all : all.slice(0, this.size);
    } finally {
      if (c !== this) c.dispose();
    }
  }
  /** Synchronous {@link data}; only on backends that can read synchronously (cpu-js, wasm-simd). */
  dataSync(): AnyTypedArray {
    return this.readSync('dataSync', 'data');
  }
  /** The values for `op` (a synchronous read), or an error naming the async method to use instead. */
  private readSync(op: string, async: string): AnyTypedArray {
    this.assertAlive(op);
    const read = this.backend.readSync;
    if (!read) throw new Error(`${op}(): the ${this.device} backend cannot read synchronously; use \`await t.${async}()\` instead.`);
    const c = this.contiguousStorageTensor();
    try {
      const all = read(c.ref.storage);
      return all.length === this.size ? all : all.slice(0, this.size);
    } finally {
      if (c !== this) c.dispose();
    }
  }
  private contiguousStorageTensor(): Tensor {
    return this.offset === 0 && this.isContiguous() && this.ref.storage.size === this.size ? this : vw.contiguousCopy(this);
  }
  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    this.assertItem('item');
    return toNumber((await this.data())[0]!, this.dtype) as number;
  }
  /** Synchronous {@link item}. */
  itemSync(): number {
    this.assertItem('itemSync');
    return toNumber(this.readSync('itemSync', 'item')[0]!, this.dtype) as number;
  }
  private assertItem(op: string): void {
    this.assertAlive(op);
    if (this.size !== 1) throw new RangeError(`${op}(): a Tensor with ${this.size} elements cannot be converted to Scalar`);
  }
  /** Nested JavaScript arrays of the values (booleans for bool tensors). */
  async tolist(): Promise<NestedArray> {
    this.assertAlive('tolist');
    return nest(await this.data(), this.shape, this.dtype);
  }
  /** Synchronous {@link tolist}. */
  tolistSync(): NestedArray {
    return nest(this.readSync('tolistSync', 'tolist'), this.shape, this.dtype);
  }
  /** PyTorch-style repr; needs a backend that reads synchronously, else summarises metadata. */
  toString(): string {
    if (this.disposed) return `tensor(<disposed>, shape=[${this.shape.join(', ')}])`;
    if (!this.backend.readSync) return `tensor(<${this.device}>, shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
    return formatTensor(this, this.dataSync());
  }
  /** Async {@link toString} that works on every backend. */
  async format(): Promise<string> {
    return formatTensor(this, await this.data());
  }
  /** Moves to another started backend (synchronously where the source can be read synchronously). */
  to(device: string): Tensor;
  /**
   * Converts to another dtype (also named as PyTorch does, `'float'` or `'int'`); a PyTorch dtype
   * flint lacks (`'float64'`) is an error that lists flint's dtypes.
   */
  to(dtype: DType): Tensor;
  to(target: string): Tensor {
    this.assertAlive('to');
    const dtype = typeof target === 'string' ? dtypeNamed('to', target) : undefined;
    return dtype !== undefined ? cast(this, dtype) : moveTo(this, target);
  }
  /** Moves to another backend; works on every backend. */
  toAsync(device: string): Promise<Tensor> {
    return moveToAsync(this, device);
  }
  float(): Tensor {
    this.assertAlive('float');
    return cast(this, 'float32');
  }
  int(): Tensor {
    this.assertAlive('int');
    return cast(this, 'int32');
  }
  bool(): Tensor {
    this.assertAlive('bool');
    return cast(this, 'bool');
  }

  // ---- elementwise ---------------------------------------------------------------------------
  add(other: TensorLike, options?: { alpha?: number }): Tensor { return ew.add(this, other, options); }
  sub(other: TensorLike, options?: { alpha?: number }): Tensor { return ew.sub(this, other, options); }
  mul(other: TensorLike): Tensor { return ew.mul(this, other); }
  div(other: TensorLike): Tensor { return ew.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ew.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return ew.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ew.minimum(this, other); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  log1p(): Tensor { return ew.log1p(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  square(): Tensor { this.assertAlive('square'); return ew.mul(this, this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  tanh(): Tensor { return ew.tanh(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  relu(): Tensor { return ew.relu(this); }
  floor(): Tensor { return ew.floor(this); }
  ceil(): Tensor { return ew.ceil(this); }
  round(): Tensor { return ew.round(this); }
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return ew.clamp(this, min, max); }
  where(condition: Tensor, other: TensorLike): Tensor { return ew.where(condition, this, other); }
  eq(other: TensorLike): Tensor { return cmp.eq(this, other); }
  ne(other: TensorLike): Tensor { return cmp.ne(this, other); }
  lt(other: TensorLike): Tensor { return cmp.lt(this, other); }
  le(other: TensorLike): Tensor { return cmp.le(this, other); }
  gt(other: TensorLike): Tensor { return cmp.gt(this, other); }
  ge(other: TensorLike): Tensor { return cmp.ge(this, other); }
  logicalAnd(other: TensorLike): Tensor { return cmp.logicalAnd(this, other); }
  logicalOr(other: TensorLike): Tensor { return cmp.logicalOr(this, other); }
  logicalNot(): Tensor { return cmp.logicalNot(this); }
  isnan(): Tensor { return cmp.isnan(this); }
  isfinite(): Tensor { return cmp.isfinite(this); }

  // ---- in place ------------------------------------------------------------------------------
  add_(other: TensorLike, options?: ew.AlphaOptions): this { checkOptions('add_', options, ew.ALPHA_OPTIONS); return inplace.update_(this, 'add', other, options?.alpha ?? 1, 'add_', () => ew.add(this, other, options)); }
  sub_(other: TensorLike, options?: ew.AlphaOptions): this { checkOptions('sub_', options, ew.ALPHA_OPTIONS); return inplace.update_(this, 'sub', other, options?.alpha ?? 1, 'sub_', () => ew.sub(this, other, options)); }
  mul_(other: TensorLike): this { return inplace.update_(this, 'mul', other, 1, 'mul_', (operand) => ew.mul(operand(this), operand(other))); }
  div_(other: TensorLike): this { return inplace.update_(this, 'div', other, 1, 'div_', (operand) => ew.div(operand(this), operand(other))); }
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this { return inplace.assign(this, 'clamp_', (operand) => ew.clamp(operand(this), operand(min), operand(max)), needsGrad(this, min, max)); }
  /** Copies `src` (broadcast to this shape) into this tensor. */
  copy_(src: Tensor): this { return inplace.copy_(this, src); }
  fill_(value: number): this { return inplace.fill_(this, value); }
  zero_(): this { this.assertAlive('zero_'); return inplace.fill_(this, 0); }

  // ---- reductions ----------------------------------------------------------------------------
  sum(dim?: number | readonly number[], keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: number | readonly number[], keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  prod(dim?: number, keepdim = false): Tensor { return red.prod(this, dim, keepdim); }
  /** The maximum of all elements, or `{ values, indices }` along `dim`. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): red.ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? red.max(this) : red.maxDim(this, dim, keepdim); }
  /** The minimum of all elements, or `{ values, indices }` along `dim`. */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): red.ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? red.min(this) : red.minDim(this, dim, keepdim); }
  amax(dim?: number | readonly number[], keepdim = false): Tensor { return red.amax(this, dim, keepdim); }
  amin(dim?: number | readonly number[], keepdim = false): Tensor { return red.amin(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return red.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return red.argmin(this, dim, keepdim); }
  var(dim?: number | readonly number[], options?: red.VarOptions): Tensor { return red.variance(this, dim, options); }
  std(dim?: number | readonly number[], options?: red.VarOptions): Tensor { return red.std(this, dim, options); }
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return red.logsumexp(this, dim, keepdim); }
  all(dim?: number, keepdim = false): Tensor { return red.all(this, dim, keepdim); }
  any(dim?: number, keepdim = false): Tensor { return red.any(this, dim, keepdim); }
  cumsum(dim: number): Tensor { return red.cumsum(this, dim); }
  softmax(dim: number): Tensor { return softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return logSoftmax(this, dim); }

  // ---- views and copies ----------------------------------------------------------------------
  reshape(...shape: Array<number | readonly number[]>): Tensor { return vw.reshape(this, flatShape(shape)); }
  /** Like reshape, but throws instead of copying when the strides do not allow a view. */
  view(...shape: Array<number | readonly number[]>): Tensor { return vw.viewShape(this, flatShape(shape)); }
  viewAs(other: Tensor): Tensor { this.assertAlive('viewAs'); return vw.viewShape(this, other.shape); }
  reshapeAs(other: Tensor): Tensor { this.assertAlive('reshapeAs'); return vw.reshape(this, other.shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return vw.flatten(this, startDim, endDim); }
  permute(...dims: Array<number | readonly number[]>): Tensor { return vw.permute(this, flatShape(dims)); }
  transpose(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); }
  /** Reverses all dims (for 2-D, the matrix transpose). */
  get T(): Tensor { return vw.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  /** Transposes the last two dims. */
  get mT(): Tensor { return vw.transpose(this, -2, -1); }
  expand(...shape: Array<number | readonly number[]>): Tensor { return vw.expand(this, flatShape(shape)); }
  expandAs(other: Tensor): Tensor { this.assertAlive('expandAs'); return vw.expand(this, other.shape); }
  squeeze(dim?: number | readonly number[]): Tensor { return vw.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return vw.unsqueeze(this, dim); }
  narrow(dim: number, start: number, length: number): Tensor { return vw.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return vw.select(this, dim, index); }
  /**
   * Indexing with PyTorch's rules: numbers select, `[start, stop, step]` or `{ start, stop, step }`
   * slice, `null` inserts a dim, `'...'` fills the rest (all views); int32 tensors gather and bool
   * masks select (copies; see advanced-index.ts for where the indexed dims go).
   * @example x.index(0, [1, null, 2], null, '...') // x[0, 1::2, None, ...]
   * @example x.index(flint.tensor([2, 0]), ':') // x[[2, 0], :]; x.index(x.lt(0)) // x[x < 0]
   */
  index(...spec: adv.AdvancedIndexSpec[]): Tensor { return adv.indexAdvanced(this, spec); }
  /**
   * `x[spec] = value` in place: the same index entries as {@link index}; `value` a number or a tensor
   * broadcast to the indexed shape. Differentiable in both.
   * @example x.setIndex([x.lt(0)], 0) // x[x < 0] = 0
   */
  setIndex(spec: readonly adv.AdvancedIndexSpec[], value: Tensor | number): this { return inplace.assign(this, 'setIndex', () => adv.indexPutOutOfPlace(this, spec, value, false), false); }
  /** PyTorch's `index_put_`: `x[indices] = values`, or `+=` with `accumulate` (repeated indices add up). */
  indexPut_(indices: readonly Tensor[], values: Tensor | number, options: adv.IndexPutOptions = {}): this {
    checkOptions('indexPut_', options, adv.INDEX_PUT_OPTIONS);
    return inplace.assign(this, 'indexPut_', () => adv.indexPutOutOfPlace(this, indices, values, options.accumulate ?? false), false);
  }
  indexAdd(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): Tensor { return iw.indexAdd(this, dim, index, source, options); }
  indexAdd_(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): this { return inplace.assign(this, 'indexAdd_', () => iw.indexAdd(this, dim, index, source, options), false); }
  indexCopy(dim: number, index: Tensor, source: Tensor): Tensor { return iw.indexCopy(this, dim, index, source); }
  indexCopy_(dim: number, index: Tensor, source: Tensor): this { return inplace.assign(this, 'indexCopy_', () => iw.indexCopy(this, dim, index, source), false); }
  indexFill(dim: number, index: Tensor, value: number): Tensor { return iw.indexFill(this, dim, index, value); }
  indexFill_(dim: number, index: Tensor, value: number): this { return inplace.assign(this, 'indexFill_', () => iw.indexFill(this, dim, index, value), false); }
  scatter(dim: number, index: Tensor, src: Tensor | number, options?: iw.ScatterOptions): Tensor { return iw.scatter(this, dim, index, src, options); }
  scatter_(dim: number, index: Tensor, src: Tensor | number, options?: iw.ScatterOptions): this { return inplace.assign(this, 'scatter_', () => iw.scatter(this, dim, index, src, options), false); }
  maskedSelect(mask: Tensor): Tensor { return iw.maskedSelect(this, mask); }
  maskedScatter(mask: Tensor, source: Tensor): Tensor { return iw.maskedScatter(this, mask, source); }
  maskedScatter_(mask: Tensor, source: Tensor): this { return inplace.assign(this, 'maskedScatter_', () => iw.maskedScatter(this, mask, source), false); }
  nonzero(options?: { asTuple?: boolean }): Tensor | Tensor[] { return adv.nonzero(this, options); }
  argwhere(): Tensor { return adv.argwhere(this); }
  contiguous(): Tensor { return vw.contiguous(this); }
  clone(): Tensor { return vw.clone(this); }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return split(this, splitSize, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return chunk(this, chunks, dim); }

  // ---- rearranging, scans and masks ---------------------------------------------------------
  tril(diagonal = 0): Tensor { return shp.tril(this, diagonal); }
  triu(diagonal = 0): Tensor { return shp.triu(this, diagonal); }
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return vw.diagonal(this, offset, dim1, dim2); }
  diag(diagonal = 0): Tensor { return shp.diag(this, diagonal); }
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return shp.diagEmbed(this, offset, dim1, dim2); }
  trace(): Tensor { return shp.trace(this); }
  repeat(...sizes: Array<number | readonly number[]>): Tensor { return shp.repeat(this, flatShape(sizes)); }
  tile(...dims: Array<number | readonly number[]>): Tensor { return shp.tile(this, flatShape(dims)); }
  repeatInterleave(repeats: number | readonly number[], dim?: number): Tensor { return shp.repeatInterleave(this, repeats, dim); }
  flip(...dims: Array<number | readonly number[]>): Tensor { return shp.flip(this, flatShape(dims)); }
  fliplr(): Tensor { return shp.fliplr(this); }
  flipud(): Tensor { return shp.flipud(this); }
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return shp.roll(this, shifts, dims); }
  rot90(k = 1, dims: readonly [number, number] = [0, 1]): Tensor { return shp.rot90(this, k, dims); }
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor { return shp.movedim(this, source, destination); }
  moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor { return shp.movedim(this, source, destination); }
  swapaxes(axis0: number, axis1: number): Tensor { return vw.transpose(this, axis0, axis1); }
  swapdims(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); }
  unflatten(dim: number, sizes: readonly number[]): Tensor { return shp.unflatten(this, dim, sizes); }
  unbind(dim = 0): Tensor[] { return shp.unbind(this, dim); }
  broadcastTo(shape: readonly number[]): Tensor { return vw.expand(this, shape); }
  typeAs(other: Tensor): Tensor { this.assertAlive('typeAs'); return cast(this, other.dtype); }
  outer(other: Tensor): Tensor { return shp.outer(this, other); }
  kron(other: Tensor): Tensor { return shp.kron(this, other); }
  cross(other: Tensor, dim?: number): Tensor { return shp.cross(this, other, dim); }
  diff(options?: Parameters<typeof shp.diff>[1]): Tensor { return shp.diff(this, options); }
  cumprod(dim: number): Tensor { return scan.cumprod(this, dim); }
  cummax(dim: number): red.ValuesIndices { return scan.cummax(this, dim); }
  cummin(dim: number): red.ValuesIndices { return scan.cummin(this, dim); }
  logcumsumexp(dim: number): Tensor { return scan.logcumsumexp(this, dim); }
  /** This tensor with `value` where `mask` (broadcast to this shape) is true. */
  maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor { return maskedFill(this, mask, value); }
  maskedFill_(mask: Tensor, value: number | boolean | Tensor): this { return inplace.assign(this, 'maskedFill_', () => maskedFill(this, mask, value), false); }
  take(index: Tensor): Tensor { return idx.take(this, index); }
  /** `{ values, indices }` sorted along `dim` (the last by default), stably. */
  sort(options?: srt.SortOptions): red.ValuesIndices { return srt.sort(this, options); }
  argsort(options?: srt.SortOptions): Tensor { return srt.argsort(this, options); }
  msort(): Tensor { return srt.msort(this); }
  topk(k: number, options?: srt.TopkOptions): red.ValuesIndices { return srt.topk(this, k, options); }
  kthvalue(k: number, dim = -1, keepdim = false): red.ValuesIndices { return srt.kthvalue(this, k, dim, keepdim); }
  median(): Tensor;
  median(dim: number, keepdim?: boolean): red.ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | red.ValuesIndices { return dim === undefined ? srt.median(this) : srt.median(this, dim, keepdim); }
  /** See {@link srt.mode}. */
  mode(dim = -1, keepdim = false): red.ValuesIndices { return srt.mode(this, dim, keepdim); }
  /** See {@link uniq.unique}. */
  unique<O extends uniq.UniqueOptions = {}>(options?: O): uniq.UniqueResult<O> { return uniq.unique(this, options); }
  /** See {@link uniq.uniqueConsecutive}. */
  uniqueConsecutive<O extends Omit<uniq.UniqueOptions, 'sorted'> = {}>(options?: O): uniq.UniqueResult<O> { return uniq.uniqueConsecutive(this, options); }
  takeAlongDim(indices: Tensor, dim?: number): Tensor { return idx.takeAlongDim(this, indices, dim); }
  /** A tensor of `shape` with this tensor's dtype and device unless `options` say otherwise. */
  newZeros(shape: readonly number[], options: CreateOptions = {}): Tensor { this.assertAlive('newZeros'); return creation.zeros(shape, this.likeThis('newZeros', options)); }
  newOnes(shape: readonly number[], options: CreateOptions = {}): Tensor { this.assertAlive('newOnes'); return creation.ones(shape, this.likeThis('newOnes', options)); }
  newFull(shape: readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor { this.assertAlive('newFull'); return creation.full(shape, value, this.likeThis('newFull', options)); }
  newEmpty(shape: readonly number[], options: CreateOptions = {}): Tensor { this.assertAlive('newEmpty'); return creation.empty(shape, this.likeThis('newEmpty', options)); }
  newTensor(data: NestedData | ArrayBufferView, options: CreateOptions = {}): Tensor { this.assertAlive('newTensor'); return creation.tensor(data, this.likeThis('newTensor', options)); }
  private likeThis(op: string, options: CreateOptions): CreateOptions {
    checkOptions(op, options, creation.CREATE_OPTIONS);
    return { dtype: this.dtype, device: this.device, ...options };
  }

  // ---- linear algebra and indexing -----------------------------------------------------------
  matmul(other: Tensor): Tensor { return matmul(this, other); }
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return idx.scatterAdd(this, dim, index, src); }
  indexSelect(dim: number, index: Tensor): Tensor { return idx.indexSelect(this, dim, index); }

  // ---- math and activations ------------------------------------------------------------------
  asin(): Tensor { return trig.asin(this); }
  acos(): Tensor { return trig.acos(this); }
  atan(): Tensor { return trig.atan(this); }
  /** The angle of (other, this): `this` is y, as torch.atan2(self, other). */
  atan2(other: TensorLike): Tensor { return trig.atan2(this, other); }
  sinh(): Tensor { return trig.sinh(this); }
  cosh(): Tensor { return trig.cosh(this); }
  asinh(): Tensor { return trig.asinh(this); }
  acosh(): Tensor { return trig.acosh(this); }
  atanh(): Tensor { return trig.atanh(this); }
  expm1(): Tensor { return special.expm1(this); }
  exp2(): Tensor { return special.exp2(this); }
  log2(): Tensor { return special.log2(this); }
  log10(): Tensor { return special.log10(this); }
  xlogy(other: TensorLike): Tensor { return special.xlogy(this, other); }
  logaddexp(other: TensorLike): Tensor { return special.logaddexp(this, other); }
  erfinv(): Tensor { return special.erfinv(this); }
  lgamma(): Tensor { return special.lgamma(this); }
  digamma(): Tensor { return special.digamma(this); }
  trunc(): Tensor { return rounding.trunc(this); }
  frac(): Tensor { return rounding.frac(this); }
  fmod(other: TensorLike): Tensor { return division.fmod(this, other); }
  remainder(other: TensorLike): Tensor { return division.remainder(this, other); }
  floorDivide(other: TensorLike): Tensor { return division.floorDivide(this, other); }
  sgn(): Tensor { return mth.sgn(this); }
  hypot(other: Tensor): Tensor { return mth.hypot(this, other); }
  lerp(end: Tensor, weight: TensorLike): Tensor { return mth.lerp(this, end, weight); }
  addcmul(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): Tensor { return mth.addcmul(this, tensor1, tensor2, options); }
  addcdiv(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): Tensor { return mth.addcdiv(this, tensor1, tensor2, options); }
  nanToNum(options?: mth.NanToNumOptions): Tensor { return mth.nanToNum(this, options); }
  clampMin(min: TensorLike): Tensor { return mth.clampMin(this, min); }
  clampMax(max: TensorLike): Tensor { return mth.clampMax(this, max); }
  isinf(): Tensor { return mth.isinf(this); }
  isposinf(): Tensor { return mth.isposinf(this); }
  isneginf(): Tensor { return mth.isneginf(this); }
  isclose(other: Tensor, options?: mth.IsCloseOptions): Tensor { return mth.isclose(this, other, options); }
  allclose(other: Tensor, options?: mth.IsCloseOptions): Promise<boolean> { return mth.allclose(this, other, options); }
  equal(other: Tensor): Promise<boolean> { return mth.equal(this, other); }
  nansum(dim?: number | readonly number[], keepdim = false): Tensor { return stats.nansum(this, dim, keepdim); }
  nanmean(dim?: number | readonly number[], keepdim = false): Tensor { return stats.nanmean(this, dim, keepdim); }
  countNonzero(dim?: number | readonly number[]): Tensor { return stats.countNonzero(this, dim); }
  aminmax(options?: { dim?: number; keepdim?: boolean }): stats.MinMax { return stats.aminmax(this, options); }
  norm(p?: nrm.NormOrder, dim?: number | readonly number[], keepdim = false): Tensor { return nrm.norm(this, p, dim, keepdim); }
  dist(other: Tensor, p = 2): Tensor { return nrm.dist(this, other, p); }
  prelu(weight: Tensor): Tensor { return act.prelu(this, weight); }
  hardshrink(lambd = 0.5): Tensor { return act.hardshrink(this, lambd); }
}

setTensorCheck((v): v is Tensor => v instanceof Tensor);

function flatShape(args: ReadonlyArray<number | readonly number[]>): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
}

function toNumber(v: number, dtype: DType): number | boolean {
  return dtype === 'bool' ? v !== 0 : v;
}

function nest(data: AnyTypedArray, shape: Shape, dtype: DType): NestedArray {
  if (shape.length === 0) return toNumber(data[0]!, dtype);
  let pos = 0;
  const build = (d: number): NestedArray[] => {
    const out: NestedArray[] = [];
    for (let i = 0; i < shape[d]!; i++) out.push(d === shape.length - 1 ? toNumber(data[pos++]!, dtype) : build(d + 1));
    return out;
  };
  return build(0);
}
