/**
 * The contract between @flint/core and a compute backend.
 *
 * Core owns shapes, broadcasting, dtype promotion, views and autograd; a backend owns memory and a
 * small set of primitive kernels over strided views. Every composite op (softmax, losses, norms,
 * optimizers...) is built in core from these primitives, so a backend that passes the primitive
 * tests can train every model; it may speed some up with optional {@link FusedKernels}.
 *
 * Conventions shared by every kernel:
 * - Inputs arrive as {@link View}s: a storage plus shape, strides (in elements, possibly 0 for a
 *   broadcast dimension or negative never) and an element offset. Kernels must honour arbitrary
 *   strides; core never pre-copies to contiguous for them.
 * - Kernels that return a {@link Storage} allocate a fresh, contiguous (row-major) output whose
 *   shape the method documents. Core takes ownership and frees it through {@link Backend.free}.
 * - Core has already validated shapes and dtypes; a backend need not re-check them.
 */

/** Element types. float32 for values, int32 for indices and labels, bool (one byte) for masks. */
export type DType = 'float32' | 'int32' | 'bool';

/** The TypedArray that holds each dtype on the host. */
export interface DTypeArrayMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}
export type TypedArrayFor<D extends DType> = DTypeArrayMap[D];
export type AnyTypedArray = Float32Array | Int32Array | Uint8Array;

/** A backend-owned buffer. Opaque to core: only the backend that made it looks inside. */
export interface Storage {
  /** Number of elements the buffer holds. */
  readonly size: number;
  readonly dtype: DType;
}

/** A strided window onto a storage: what every kernel reads (and {@link Backend.copy} writes). */
export interface View {
  readonly storage: Storage;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Element strides per dimension; 0 repeats a value along that dimension (broadcast). */
  readonly strides: readonly number[];
  /** Element offset of index [0, 0, ...] in the storage. */
  readonly offset: number;
}

/**
 * An elementwise operand: a view, or a number standing for that value at every position of the
 * kernel's shape. Core has already converted the number to the dtype of the other operands
 * (rounded to float32, truncated to int32, 0 or 1 for bool), and at least one operand of every
 * call is a view, which gives the shape and dtype.
 */
export type Operand = View | number;

/** Unary elementwise ops. Output dtype equals input dtype except where noted. */
export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'reciprocal'
  | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'erf' | 'softplus'
  /**
   * erfc(x) = 1 - erf(x), to float32 relative accuracy also where erf nears 1 (large x), where
   * forming 1 - erf would cancel: the normal tail probabilities of gelu's gradient need it.
   */
  | 'erfc'
  | 'floor' | 'ceil' | 'round'
  /** gelu with the exact erf form, and with the tanh approximation. */
  | 'gelu' | 'geluTanh' | 'silu'
  /** Output dtype bool. */
  | 'isnan' | 'isfinite' | 'logicalNot';

/** Arithmetic binary ops: both inputs and the output share one dtype. */
export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
/** Comparison and logical binary ops: inputs share one dtype, the output is bool. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr';
export type BinaryOp = ArithmeticOp | CompareOp;

/**
 * Reductions over a set of axes. `sum`/`prod`/`max`/`min` keep the input dtype (bool inputs are
 * only reduced with max/min, which mean any/all). `argmax`/`argmin` reduce exactly one axis and
 * return int32 indices of the first extreme value; NaN counts as the extreme, as in PyTorch.
 * `max`/`min` propagate NaN.
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/** Geometry shared by conv2d and its gradients; pairs are [height, width]. */
export interface Conv2dParams {
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

/** Geometry of a 2-D max pool; pairs are [height, width]. Padding counts as -Infinity. */
export interface Pool2dParams {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Output size already computed by core (handles ceil mode). */
  readonly outSize: readonly [number, number];
}

/** torch.optim.SGD's options, for {@link FusedKernels.sgdStep}. */
export interface SgdHyper {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
  /** The momentum buffer was just allocated (torch's first step): set it to the gradient instead of decaying it. */
  readonly newBuffer: boolean;
}

/** torch.optim.Adam's and AdamW's options, for {@link FusedKernels.adamStep}. */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW: decay the parameter (`p *= 1 - lr * weightDecay`) rather than adding `weightDecay * p` to the gradient. */
  readonly decoupled: boolean;
  readonly maximize: boolean;
  /** The step count including this update (1 on the first), for the bias corrections. */
  readonly step: number;
}

/**
 * Kernels a backend may offer for speed on top of the primitives; every member is optional and
 * core composes the op from primitives where one is missing. Results must agree with that
 * composed path: float32 only, each arithmetic step rounded to float32 in the composed path's
 * order, scalars (such as `1 - beta1` or `lr / (1 - beta1 ** step)`) computed in float64 and
 * rounded once, exp/log as accurate as {@link Backend.unary}'s.
 *
 * The optimizer steps update their views in place. Core calls them only on contiguous (possibly
 * offset) float32 views of one shape in separate storages, after its in-place checks.
 */
export interface FusedKernels {
  /**
   * Softmax of float32 `x` (any strides) along `axis`, or log-softmax when `log`, into a fresh
   * contiguous storage of x.shape. Shifted by the maximum as PyTorch does, so a line holding NaN
   * or +Infinity, or only -Infinity, gives NaN.
   */
  softmax?(x: View, axis: number, log: boolean): Storage;
  /**
   * One torch.optim.SGD update of `param` from `grad`: `d = grad` (`-grad` when maximizing) plus
   * `weightDecay * param`; with momentum (`momentumBuffer` is given exactly when momentum is
   * nonzero) `buf = momentum * buf + (1 - dampening) * d` (or `buf = d` when `newBuffer`), then
   * `d = buf`, or `d += momentum * buf` with Nesterov; finally `param -= lr * d`.
   */
  sgdStep?(param: View, grad: View, momentumBuffer: View | undefined, hyper: SgdHyper): void;
  /**
   * One torch.optim.Adam (or AdamW, when `decoupled`) update: `g = grad` (`-grad` when
   * maximizing); weight decay (`g += weightDecay * param`, or AdamW's `param *= 1 - lr *
   * weightDecay`); `m = beta1 * m + (1 - beta1) * g`; `v = beta2 * v + (1 - beta2) * g * g`; with
   * AMSGrad (`maxExpAvgSq` given) `vmax = max(vmax, v)` stands for v below; `denom = sqrt(v) /
   * sqrt(1 - beta2 ** step) + eps`; `param -= lr / (1 - beta1 ** step) * (m / denom)`.
   */
  adamStep?(param: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | undefined, hyper: AdamHyper): void;
}

/** Bytes and buffers a backend currently holds. */
export interface BackendMemory {
  readonly bytes: number;
  readonly buffers: number;
}

/**
 * A compute backend. Implement every member (`fused` is optional); the compiler checks coverage.
 * `@flint/conformance` proves that an implementation agrees with PyTorch and with `@flint/cpu-js`.
 */
export interface Backend {
  /** Canonical name, e.g. `cpu-js`. Tensors report it as their device. */
  readonly name: string;

  // ---- storage -------------------------------------------------------------------------------
  /** A new storage of `size` elements; contents unspecified. */
  alloc(size: number, dtype: DType): Storage;
  /** A new storage holding a copy of `data` (whose element type matches `dtype`). */
  upload(data: AnyTypedArray, dtype: DType): Storage;
  /** Copies the whole storage to the host. */
  read(storage: Storage): Promise<AnyTypedArray>;
  /** Synchronous {@link read}; `undefined` where the backend cannot read synchronously (GPU). */
  readonly readSync: ((storage: Storage) => AnyTypedArray) | undefined;
  /** Releases a storage. Core calls it exactly once per storage, when no tensor uses it. */
  free(storage: Storage): void;
  /** What this backend holds right now. */
  memory(): BackendMemory;
  /** Resolves when all enqueued work has finished. */
  sync(): Promise<void>;

  // ---- creation ------------------------------------------------------------------------------
  /** A contiguous storage of `size` elements all equal to `value`. */
  fill(size: number, value: number, dtype: DType): Storage;
  /** `size` elements `start, start + step, ...`, computed as start + i * step. */
  arange(size: number, start: number, step: number, dtype: DType): Storage;

  // ---- elementwise ---------------------------------------------------------------------------
  /** op applied to every element of `x`; output has x.shape. */
  unary(op: UnaryOp, x: View): Storage;
  /**
   * `a op b`; view operands have the same shape (core broadcasts with 0 strides) and dtype, and a
   * number operand is a scalar of that dtype (scalars need no buffer, so `x * 0.5` is one kernel).
   * With `into` (an arithmetic op only), writes the result into that window of an existing storage
   * and returns its storage: `into` may be exactly `a`'s view (in-place updates such as
   * `p.add_(g)`) but never otherwise overlaps an operand.
   */
  binary(op: BinaryOp, a: Operand, b: Operand, into?: View): Storage;
  /** `cond ? a : b`; views share cond's shape, `cond` is bool, `a` and `b` share a dtype. */
  where(cond: View, a: Operand, b: Operand): Storage;
  /** Converts to `dtype` (float to int truncates toward zero; nonzero to bool is true). */
  cast(x: View, dtype: DType): Storage;

  // ---- movement ------------------------------------------------------------------------------
  /** Writes `src` into the (possibly strided) `dst` window; same shape and dtype. */
  copy(src: View, dst: View): void;

  // ---- reductions ----------------------------------------------------------------------------
  /** Reduces `axes` (sorted, unique, non-empty) away; the output shape drops those axes. */
  reduce(op: ReduceOp, x: View, axes: readonly number[]): Storage;
  /** Inclusive cumulative sum along `axis`; output has x.shape. */
  cumsum(x: View, axis: number): Storage;

  // ---- sorting -------------------------------------------------------------------------------
  /**
   * Sorts each line along the last axis of the contiguous `x`, stably, ascending with NaN last
   * (descending: NaN first); returns the sorted values and their int32 positions in the line.
   */
  sort(x: View, descending: boolean): { values: Storage; indices: Storage };

  // ---- indexing ------------------------------------------------------------------------------
  /**
   * out[i][j][k] = x[index[i][j][k]][j][k] when axis = 0 (and so on); output has index.shape.
   * Indices are int32 and already validated to lie in [0, x.shape[axis]).
   */
  gather(x: View, axis: number, index: View): Storage;
  /**
   * A copy of `base` (contiguous, base.shape) with `src` added at the positions `index` names:
   * out[index[i][j]][j] += src[i][j] when axis = 0. index and src share a shape; repeated indices
   * accumulate.
   */
  scatterAdd(base: View, axis: number, index: View, src: View): Storage;

  // ---- linear algebra ------------------------------------------------------------------------
  /** Batched matrix product of a [B, M, K] and b [B, K, N] (any strides) into [B, M, N]. */
  matmul(a: View, b: View): Storage;

  // ---- convolution and pooling ---------------------------------------------------------------
  /** x [N, C, H, W], weight [O, C / groups, kH, kW] into [N, O, outH, outW] (no bias). */
  conv2d(x: View, weight: View, params: Conv2dParams): Storage;
  /** Gradient of conv2d with respect to x: dy [N, O, outH, outW] into `xShape`. */
  conv2dBackwardInput(dy: View, weight: View, xShape: readonly number[], params: Conv2dParams): Storage;
  /** Gradient of conv2d with respect to the weight: into `weightShape`. */
  conv2dBackwardWeight(x: View, dy: View, weightShape: readonly number[], params: Conv2dParams): Storage;
  /**
   * Max pooling of x [N, C, H, W] into values [N, C, outH, outW] and int32 indices of each
   * maximum, flattened within its H x W plane (PyTorch's return_indices convention).
   */
  maxPool2d(x: View, params: Pool2dParams): { values: Storage; indices: Storage };

  // ---- optional ------------------------------------------------------------------------------
  /** Fused kernels core uses instead of composing primitives where present; see {@link FusedKernels}. */
  readonly fused?: FusedKernels;
}

/** Creates a ready backend; async so that wasm compilation or GPU adapter requests can run. */
export type BackendFactory = () => Promise<Backend> | Backend;
