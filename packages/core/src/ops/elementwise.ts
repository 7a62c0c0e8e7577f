/** Elementwise arithmetic and math, each forward beside its gradient. */
import type { ArithmeticOp, DType, UnaryOp } from '../backend/types.ts';
import { Tensor, type TensorLike } from '../tensor/tensor.ts';
import { promoteTypes, scalarDType } from '../tensor/dtype.ts';
import { shapeEquals, type Shape } from '../tensor/shape.ts';
import { backendOf, backwardName, needsGrad, record, wrap } from './kernel.ts';
import { asOperands, broadcastLayout, broadcastOperands, scalarOf, shapeOf, checkTensors } from './broadcast.ts';
import { castTo } from './cast.ts';
import { noGrad } from '../autograd/mode.ts';
import { tidy } from '../memory/scope.ts';
import { sum } from './reduce.ts';
import { reshape } from './view.ts';
import * as cmp from './compare.ts';
import { checkOptions, type OptionKeys } from '../options/check-options.ts';
import { checkChoice } from '../options/check-choice.ts';
import { NO_ATTRS, isTracing, traced } from '../trace/state.ts';

type Grad = (g: Tensor, a: TensorLike, b: TensorLike, out: Tensor) => Tensor;

/** The dtype a binary op computes in: promoted, with bool arithmetic done in int32. */
export function resultDType(op: string, a: TensorLike, b: TensorLike): DType {
  const da = a instanceof Tensor ? a.dtype : undefined;
  const db = b instanceof Tensor ? b.dtype : undefined;
  let dtype: DType;
  if (da && db) dtype = promoteTypes(da, db);
  else if (da) dtype = scalarDType(b as number, da);
  else if (db) dtype = scalarDType(a as number, db);
  else throw new TypeError(`${op}(): expected at least one tensor operand`);
  if (op === 'div' && dtype !== 'float32') return 'float32';
  return dtype === 'bool' ? 'int32' : dtype;
}

/** Sums a broadcast gradient back down to `shape`. */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (shapeEquals(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  return reshape(sum(g, dims, true), shape);
}

/** Which operands (and output) a backward reads, given which inputs need a gradient. */
type Saves = (needA: boolean, needB: boolean) => ReadonlyArray<'a' | 'b' | 'out'>;

const savesNothing: Saves = () => [];
/** Each operand's gradient reads the other operand (mul). */
const savesOther: Saves = (needA, needB) => [...(needA ? ['b' as const] : []), ...(needB ? ['a' as const] : [])];
const savesBoth: Saves = () => ['a', 'b'];

// The primitives check for a trace themselves: they run in the tightest loops, where traced's
// closure would be an allocation per call.
function binary(op: ArithmeticOp, name: string, a: TensorLike, b: TensorLike, da: Grad, db: Grad, saves: Saves): Tensor {
  if (isTracing()) return traced(name, [a, b], NO_ATTRS, () => binaryKernel(op, name, a, b, da, db, saves));
  return binaryKernel(op, name, a, b, da, db, saves);
}

function binaryKernel(op: ArithmeticOp, name: string, a: TensorLike, b: TensorLike, da: Grad, db: Grad, saves: Saves): Tensor {
  const backend = backendOf(name, a, b);
  const dtype = resultDType(op, a, b);
  const shape = broadcastOperands(name, [a, b]);
  const { operands, temps } = asOperands(dtype, shape, [a, b]);
  const storage = backend.binary(op, operands[0]!, operands[1]!);
  for (const t of temps) t.dispose();
  const out = wrap(backend, storage, shape, dtype);
  if (dtype !== 'float32' || !needsGrad(a, b)) return out;
  const needA = a instanceof Tensor && a.requiresGrad;
  const needB = b instanceof Tensor && b.requiresGrad;
  const operand = { a, b, out };
  const saved = saves(needA, needB)
    .map((k) => operand[k])
    .filter((t): t is Tensor => t instanceof Tensor);
  return record(backwardName(name), out, [a, b], saved, (g) => [
    needA ? sumTo(da(g, a, b, out), shapeOf(a)) : null,
    needB ? sumTo(db(g, a, b, out), shapeOf(b)) : null,
  ]);
}

/** add's and sub's options. */
export interface AlphaOptions {
  /** The factor `b` is scaled by (default 1). */
  alpha?: number;
}

export const ALPHA_OPTIONS: OptionKeys<AlphaOptions> = { alpha: true };

/** `a + alpha * b`, broadcasting. */
export function add(a: TensorLike, b: TensorLike, options: AlphaOptions = {}): Tensor {
  checkOptions('add', options, ALPHA_OPTIONS);
  const alpha = options.alpha ?? 1;
  if (alpha !== 1) return tidy(() => add(a, scaled(b, alpha)));
  return binary('add', 'add', a, b, (g) => g, (g) => g, savesNothing);
}

/** `a - alpha * b`, broadcasting. */
export function sub(a: TensorLike, b: TensorLike, options: AlphaOptions = {}): Tensor {
  checkOptions('sub', options, ALPHA_OPTIONS);
  const alpha = options.alpha ?? 1;
  if (alpha !== 1) return tidy(() => sub(a, scaled(b, alpha)));
  return binary('sub', 'sub', a, b, (g) => g, (g) => neg(g), savesNothing);
}

/** `alpha * b`, folded into the number when `b` is a scalar (mul needs a tensor operand). */
export function scaled(b: TensorLike, alpha: number): TensorLike {
  return b instanceof Tensor ? mul(b, alpha) : Number(b) * alpha;
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary('mul', 'mul', a, b, (g, _a, b) => mul(g, b), (g, a) => mul(g, a), savesOther);
}

/** True division; integer operands give float32, as in PyTorch. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary('div', 'div', a, b, (g, _a, b) => div(g, b), (g, a, b) => neg(div(mul(g, a), mul(b, b))), (needA, needB) => (needB ? ['a', 'b'] : needA ? ['b'] : []));
}

export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary('pow', 'pow', a, b, powBaseGrad, powExponentGrad, (_needA, needB) => (needB ? ['a', 'b', 'out'] : ['a', 'b']));
}

/** d/da a^b = b a^(b-1), taken as 0 where b == 0 (PyTorch's convention, finite at a == 0). */
const powBaseGrad: Grad = (g, a, b) => {
  const grad = mul(g, mul(b, pow(a, b instanceof Tensor ? sub(b, 1) : Number(b) - 1)));
  return b instanceof Tensor ? where(cmp.eq(b, 0), 0, grad) : Number(b) === 0 ? mul(g, 0) : grad;
};

/** d/db a^b = a^b log(a), taken as 0 where a == 0 and b >= 0. */
const powExponentGrad: Grad = (g, a, b, out) => {
  if (!(a instanceof Tensor)) return mul(g, mul(out, Math.log(Number(a))));
  return where(cmp.logicalAnd(cmp.eq(a, 0), cmp.ge(b, 0)), 0, mul(g, mul(out, log(a))));
};

/**
 * Elementwise maximum, propagating NaN. As in PyTorch, each operand's gradient is cut only where it
 * strictly loses, and halved at ties, so a NaN (which compares false) passes it to both.
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary('maximum', 'maximum', a, b, (g, a, b) => tieSplit(g, a, b), (g, a, b) => tieSplit(g, b, a), savesBoth);
}

/** Elementwise minimum, propagating NaN. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary('minimum', 'minimum', a, b, (g, a, b) => tieSplit(g, b, a), (g, a, b) => tieSplit(g, a, b), savesBoth);
}

/** The gradient share of the `winner` operand of maximum(winner, loser). */
function tieSplit(g: Tensor, winner: TensorLike, loser: TensorLike): Tensor {
  return where(cmp.lt(winner, loser), 0, where(cmp.eq(winner, loser), mul(g, 0.5), g));
}

// ---- unary ------------------------------------------------------------------------------------

type UnaryGrad = (g: Tensor, x: Tensor, out: Tensor) => Tensor;

const keepsIntegers = new Set<UnaryOp>(['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round']);

// As binary: no closure unless a trace runs.
function unary(op: UnaryOp, name: string, x: Tensor, grad: UnaryGrad | null): Tensor {
  if (isTracing()) return traced(name, [x], NO_ATTRS, () => unaryKernel(op, name, x, grad));
  return unaryKernel(op, name, x, grad);
}

function unaryKernel(op: UnaryOp, name: string, x: Tensor, grad: UnaryGrad | null): Tensor {
  const backend = backendOf(name, x);
  const input = x.dtype === 'float32' || keepsIntegers.has(op) ? x : castTo(x, 'float32');
  const out = wrap(backend, backend.unary(op, input.layout), x.shape, input.dtype);
  if (input !== x) input.dispose();
  if (!grad || out.dtype !== 'float32' || !needsGrad(x)) return out;
  return record(backwardName(name), out, [x], [x, out], (g) => [grad(g, x, out)]);
}

const zeroGrad: UnaryGrad = (g) => mul(g, 0);

export const neg = (x: Tensor): Tensor => unary('neg', 'neg', x, (g) => neg(g));
export const abs = (x: Tensor): Tensor => unary('abs', 'abs', x, (g, x) => mul(g, sign(x)));
export const sign = (x: Tensor): Tensor => unary('sign', 'sign', x, zeroGrad);
export const floor = (x: Tensor): Tensor => unary('floor', 'floor', x, zeroGrad);
export const ceil = (x: Tensor): Tensor => unary('ceil', 'ceil', x, zeroGrad);
/** Rounds half to even, like torch.round. */
export const round = (x: Tensor): Tensor => unary('round', 'round', x, zeroGrad);
export const exp = (x: Tensor): Tensor => unary('exp', 'exp', x, (g, _x, out) => mul(g, out));
export const log = (x: Tensor): Tensor => unary('log', 'log', x, (g, x) => div(g, x));
export const log1p = (x: Tensor): Tensor => unary('log1p', 'log1p', x, (g, x) => div(g, add(x, 1)));
export const sqrt = (x: Tensor): Tensor => unary('sqrt', 'sqrt', x, (g, _x, out) => div(g, mul(out, 2)));
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', 'rsqrt', x, (g, _x, out) => mul(g, mul(pow(out, 3), -0.5)));
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', 'reciprocal', x, (g, _x, out) => neg(mul(g, mul(out, out))));
export const sin = (x: Tensor): Tensor => unary('sin', 'sin', x, (g, x) => mul(g, cos(x)));
export const cos = (x: Tensor): Tensor => unary('cos', 'cos', x, (g, x) => neg(mul(g, sin(x))));
/** sech^2(x) = 4e / (1 + e)^2 with e = exp(-2|x|): unlike 1 - tanh^2, it keeps its relative accuracy where tanh nears 1. */
function sech2(x: Tensor): Tensor {
  const e = exp(mul(abs(x), -2));
  const denominator = add(e, 1);
  return div(mul(e, 4), mul(denominator, denominator));
}

export const tanh = (x: Tensor): Tensor => unary('tanh', 'tanh', x, (g, x) => mul(g, sech2(x)));
/** The gradient is sigmoid(x) sigmoid(-x): 1 - sigmoid(x) would cancel for large x. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', 'sigmoid', x, (g, x, out) => mul(g, mul(out, sigmoid(neg(x)))));
/** The gradient passes wherever x <= 0 is false, NaN included, as in PyTorch. */
export const relu = (x: Tensor): Tensor => unary('relu', 'relu', x, (g, x) => where(cmp.le(x, 0), 0, g));
export const erf = (x: Tensor): Tensor => unary('erf', 'erf', x, (g, x) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))));
/** The complementary error function 1 - erf(x), accurate in its tail where 1 - erf(x) would cancel. */
export const erfc = (x: Tensor): Tensor => unary('erfc', 'erfc', x, (g, x) => mul(g, mul(exp(neg(mul(x, x))), -2 / Math.sqrt(Math.PI))));

/** The standard normal density, used by gelu's gradient. */
const normalPdf = (x: Tensor): Tensor => mul(exp(mul(mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));

/**
 * Where |x| exceeds this, gelu's gradient is exactly 0 or 1 in float32. Clamping there keeps its
 * x * density term from reaching Inf * 0 (NaN) at huge or infinite x.
 */
const geluGradientBound = 1e4;

export interface GeluOptions {
  /** 'none' (default): the exact form through erf; 'tanh': the tanh approximation. */
  approximate?: 'none' | 'tanh';
}

const GELU_OPTIONS: OptionKeys<GeluOptions> = { approximate: true };

/** x * Phi(x); `approximate: 'tanh'` uses the tanh form. */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  return traced('gelu', [x], options, () => {
    checkOptions('gelu', options, GELU_OPTIONS);
    checkChoice('gelu', 'approximate', options.approximate ?? 'none', ['none', 'tanh'], `approximate argument must be either none or tanh (got ${String(options.approximate)})`);
    if (options.approximate === 'tanh') {
      const k = Math.sqrt(2 / Math.PI);
      return unary('geluTanh', 'gelu', x, (g, input) => {
        const x = clamp(input, -geluGradientBound, geluGradientBound);
        // With u the tanh argument, (1 + tanh u) / 2 = s(2u) and 1 - tanh^2 u = 4 s(2u) s(-2u) for
        // s the sigmoid: this form does not cancel where tanh u nears -1 (or 1).
        const twoInner = mul(add(x, mul(pow(x, 3), 0.044715)), 2 * k);
        const cdf = sigmoid(twoInner);
        const dInner = mul(add(mul(mul(x, x), 3 * 0.044715), 1), k);
        return mul(g, add(cdf, mul(mul(mul(x, 2), mul(cdf, sigmoid(neg(twoInner)))), dInner)));
      });
    }
    return unary('gelu', 'gelu', x, (g, input) => {
      const x = clamp(input, -geluGradientBound, geluGradientBound);
      // Phi(x) as erfc(-x / sqrt 2) / 2: (1 + erf) / 2 cancels for x < 0, where Phi is a small tail.
      const cdf = mul(erfc(mul(x, -Math.SQRT1_2)), 0.5);
      return mul(g, add(cdf, mul(x, normalPdf(x))));
    });
  });
}

/** x * sigmoid(x). */
export const silu = (x: Tensor): Tensor =>
  unary('silu', 'silu', x, (g, x) => {
    // 1 - sigmoid(x) written as sigmoid(-x), which does not cancel for large x.
    return mul(g, mul(sigmoid(x), add(mul(x, sigmoid(neg(x))), 1)));
  });

export interface SoftplusOptions {
  /** Sharpness (default 1). */
  beta?: number;
  /** Above `beta * x > threshold` the result is `x` (default 20). */
  threshold?: number;
}

const SOFTPLUS_OPTIONS: OptionKeys<SoftplusOptions> = { beta: true, threshold: true };

/** log(1 + exp(beta x)) / beta, reverting to x where beta x > threshold, as torch.nn.functional.softplus. */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  checkOptions('softplus', options, SOFTPLUS_OPTIONS);
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  return tidy(() => {
    const bx = beta === 1 ? x : mul(x, beta);
    const soft = unary('softplus', 'softplus', bx, (g, x) => mul(g, sigmoid(x)));
    const scaled = beta === 1 ? soft : div(soft, beta);
    return where(cmp.gt(bx, threshold), x, scaled);
  });
}

/** x where x > 0, else negativeSlope * x. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return traced('leakyRelu', [x], { negativeSlope }, () => {
    checkTensors('leakyRelu', [x]);
    return tidy(() => where(cmp.gt(x, 0), x, mul(x, negativeSlope)));
  });
}

/** Clamps into [min, max]; the gradient flows where min <= x <= max, as in PyTorch. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  return traced('clamp', [x, min, max], NO_ATTRS, () => {
    checkTensors('clamp', [x]);
    if ((min === undefined || min === null) && (max === undefined || max === null)) {
      throw new TypeError("clamp(): At least one of 'min' or 'max' must not be None");
    }
    const lower = min ?? null;
    const upper = max ?? null;
    const out = noGrad(() => {
      if (lower === null) return minimum(x, upper!);
      if (upper === null) return maximum(x, lower);
      const low = maximum(x, lower);
      const both = minimum(low, upper);
      low.dispose();
      return both;
    });
    return record('ClampBackward', out, [x], [x], (g) => {
      const above = lower === null ? null : cmp.ge(x, lower);
      const below = upper === null ? null : cmp.le(x, upper);
      const inside = above && below ? cmp.logicalAnd(above, below) : (above ?? below)!;
      return [where(inside, g, 0)];
    });
  });
}

/**
 * `condition ? a : b` elementwise, broadcasting all three.
 * @example flint.where(x.gt(0), x, 0)
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return traced('where', [condition, a, b], NO_ATTRS, () => {
    const backend = backendOf('where', condition, a, b);
    if (condition.dtype !== 'bool') throw new TypeError(`where(): expected condition to be a boolean tensor, but got a tensor with dtype ${condition.dtype}`);
    const dtype = promoteTypes(operandDType(a), operandDType(b));
    const shape = broadcastOperands('where', [condition, a, b]);
    // A kernel takes its dtype from a view operand, so two scalars need one of them as a tensor.
    const bothScalars = !(a instanceof Tensor) && !(b instanceof Tensor);
    const first = bothScalars ? wrap(backend, backend.fill(1, scalarOf(a, dtype), dtype), [], dtype) : a;
    const { operands, temps } = asOperands(dtype, shape, [first, b]);
    if (bothScalars) temps.push(first as Tensor);
    const storage = backend.where(broadcastLayout(condition, shape), operands[0]!, operands[1]!);
    for (const t of temps) t.dispose();
    const out = wrap(backend, storage, shape, dtype);
    return record('WhereBackward', out, [condition, a, b], [condition], (g) => [
      null,
      a instanceof Tensor && a.requiresGrad ? sumTo(where(condition, g, 0), a.shape) : null,
      b instanceof Tensor && b.requiresGrad ? sumTo(where(condition, 0, g), b.shape) : null,
    ]);
  });
}

function operandDType(x: TensorLike): DType {
  if (x instanceof Tensor) return x.dtype;
  return typeof x === 'boolean' ? 'bool' : Number.isInteger(x) ? 'int32' : 'float32';
}
