/**
 * Elementwise kernels over strided views: unary, binary, where, cast, copy and fill. One generated
 * shader per (op, dtypes): each thread turns its flat output index into every input's offset
 * through the shapes and strides in the parameter block, so broadcasts (stride 0) and arbitrary
 * views need no copies first.
 */
import { contiguousStrides, numel, type BinaryOp, type DType, type UnaryOp, type View } from '@flint/core';
import { type KernelContext } from '../context.ts';
import type { GpuStorage } from '../storage.ts';
import { bindings, computeType, ELEMENT_MAIN, load, Params, store, withLibrary } from '../wgsl.ts';

/** A WGSL expression over the loaded inputs `a`, `b`, `c` (compute types) giving the output's compute type. */
type Expr = string;

/** Unary float math, on `a`. */
const FLOAT_UNARY: Record<Exclude<UnaryOp, 'isnan' | 'isfinite' | 'logicalNot'>, Expr> = {
  neg: '-a',
  abs: 'abs(a)',
  sign: 'select(0.0, 1.0, a > 0.0) - select(0.0, 1.0, a < 0.0)',
  exp: 'fexp(a)',
  log: 'flog(a)',
  log1p: 'flog1p(a)',
  sqrt: 'fsqrt(a)',
  rsqrt: '1.0 / fsqrt(a)',
  reciprocal: '1.0 / a',
  sin: 'fsin(a)',
  cos: 'fcos(a)',
  tanh: 'ftanh(a)',
  sigmoid: 'fsigmoid(a)',
  // `<= 0` is false for NaN, so NaN passes through as in torch.
  relu: 'select(a, 0.0, a <= 0.0)',
  erf: 'ferf(a)',
  erfc: 'ferfcScaled(a, 1.0, 1.0)',
  softplus: 'fsoftplus(a)',
  floor: 'floor(a)',
  ceil: 'ceil(a)',
  // WGSL's round() rounds halves to even, like torch.round.
  round: 'round(a)',
  // 1 + erf(x / sqrt 2) as erfc(-x / sqrt 2), which does not cancel for negative x.
  gelu: 'ferfcScaled(-a, 0.5, 0.5 * a)',
  geluTanh: '0.5 * a * (1.0 + ftanh(0.7978845608028654 * (a + 0.044715 * a * a * a)))',
  silu: 'fsilu(a)',
};

/** Unary ops with exact integer forms; the rest compute in f32 and convert back like a typed-array store. */
const INT_UNARY: Partial<Record<UnaryOp, Expr>> = {
  neg: '-a',
  abs: 'abs(a)',
  sign: 'select(0, 1, a > 0) - select(0, 1, a < 0)',
  relu: 'max(a, 0)',
  floor: 'a',
  ceil: 'a',
  round: 'a',
};

/** Ops whose output is bool; `a` is the input. */
const PREDICATES: Record<'isnan' | 'isfinite' | 'logicalNot', { f32: string; i32: string }> = {
  isnan: { f32: 'isNan(a)', i32: 'false' },
  isfinite: { f32: 'isFiniteBits(a)', i32: 'true' },
  logicalNot: { f32: '!nonZero(a)', i32: 'a == 0' },
};

const ARITHMETIC: Record<'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum', { f32: Expr; i32: Expr }> = {
  add: { f32: 'a + b', i32: 'a + b' },
  sub: { f32: 'a - b', i32: 'a - b' },
  mul: { f32: 'a * b', i32: 'a * b' },
  // Division by zero gives 0 in int32, as a typed-array store of +-Infinity or NaN does.
  div: { f32: 'a / b', i32: 'select(a / b, 0, b == 0)' },
  pow: { f32: 'fpow(a, b)', i32: 'ipow(a, b)' },
  maximum: { f32: 'fmax(a, b)', i32: 'max(a, b)' },
  minimum: { f32: 'fmin(a, b)', i32: 'min(a, b)' },
};

/** Comparisons as WGSL bools; `!(a == b)` rather than `!=` so NaN is unequal whatever the compiler does. */
const COMPARE: Record<'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr', { f32: string; i32: string }> = {
  eq: { f32: 'a == b', i32: 'a == b' },
  ne: { f32: '!(a == b)', i32: 'a != b' },
  lt: { f32: 'a < b', i32: 'a < b' },
  le: { f32: 'a <= b', i32: 'a <= b' },
  gt: { f32: 'a > b', i32: 'a > b' },
  ge: { f32: 'a >= b', i32: 'a >= b' },
  logicalAnd: { f32: 'nonZero(a) && nonZero(b)', i32: 'a != 0 && b != 0' },
  logicalOr: { f32: 'nonZero(a) || nonZero(b)', i32: 'a != 0 || b != 0' },
};

const asInt = (condition: string): Expr => `select(0, 1, ${condition})`;

/** The expression converting `a` of dtype `from` to `to`'s compute type. */
function conversion(from: DType, to: DType): Expr {
  const float = from === 'float32';
  switch (to) {
    case 'float32':
      return float ? 'a' : 'f32(a)';
    case 'int32':
      return float ? 'toInt(a)' : 'a';
    case 'bool':
      return asInt(float ? 'nonZero(a)' : 'a != 0');
  }
}

/**
 * The map shader: output element i (contiguous, or through the output view when `stridedOut`)
 * from the inputs at the same logical index. The parameter block is
 * [n, nd, shape[nd], then per input and (if strided) the output: offset, strides[nd]].
 */
function mapSource(inputs: readonly DType[], out: DType, expr: Expr, stridedOut: boolean): string {
  const names = ['a', 'b', 'c'];
  const loads = inputs.map((dtype, j) => `  let ${names[j]} = ${load(dtype, `in${j}`, `viewOffset(i, nd, 2u, ${2 + j}u + ${j + 1}u * nd)`)};`);
  const at = stridedOut ? `viewOffset(i, nd, 2u, ${2 + inputs.length}u + ${inputs.length + 1}u * nd)` : 'i';
  return withLibrary(`${bindings([['out', 'read_write'], ...inputs.map((_, j) => [`in${j}`, 'read'] as const)])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  let nd = p[1];
${loads.join('\n')}
  out[${at}] = ${store(out, expr)};
}`);
}

/** Runs `expr` over same-shaped `inputs` into a fresh contiguous storage of `out`. */
function map(ctx: KernelContext, op: string, inputs: readonly View[], out: DType, expr: Expr): GpuStorage {
  const shape = inputs[0]!.shape;
  const n = numel(shape);
  const result = ctx.output(op, n, out);
  const dtypes = inputs.map((v) => v.dtype);
  const kernel = { key: `map:${dtypes.join(',')}>${out}:${expr}`, source: () => mapSource(dtypes, out, expr, false) };
  const params = new Params().push(n, shape.length, ...shape);
  for (const v of inputs) params.view(v);
  ctx.run(op, kernel, params.toArray(), [result.region, ...inputs.map((v) => ctx.region(v))], n);
  return result;
}

/** `op` applied to every element of `x`. */
export function unary(ctx: KernelContext, op: UnaryOp, x: View): GpuStorage {
  const t = computeType(x.dtype);
  if (op === 'isnan' || op === 'isfinite' || op === 'logicalNot') return map(ctx, op, [x], 'bool', asInt(PREDICATES[op][t]));
  // NaN passes through explicitly: some drivers' exp and log turn it into a number. sign(NaN) is 0.
  if (t === 'f32') return map(ctx, op, [x], x.dtype, op === 'sign' ? FLOAT_UNARY[op] : `select(${FLOAT_UNARY[op]}, a, isNan(a))`);
  const exact = INT_UNARY[op];
  return map(ctx, op, [x], x.dtype, exact ?? `toInt(${FLOAT_UNARY[op].replaceAll(/\ba\b/g, 'f32(a)')})`);
}

/** `a op b` over same-shaped (possibly broadcast) views. */
export function binary(ctx: KernelContext, op: BinaryOp, a: View, b: View): GpuStorage {
  const t = computeType(a.dtype);
  if (op in COMPARE) return map(ctx, op, [a, b], 'bool', asInt(COMPARE[op as keyof typeof COMPARE][t]));
  return map(ctx, op, [a, b], a.dtype, ARITHMETIC[op as keyof typeof ARITHMETIC][t]);
}

/** `cond ? a : b`. */
export function where(ctx: KernelContext, cond: View, a: View, b: View): GpuStorage {
  // map() names its inputs a, b, c in order: here the condition is `a`.
  return map(ctx, 'where', [cond, a, b], a.dtype, 'select(c, b, a != 0)');
}

/** `x` converted to `dtype`. */
export function cast(ctx: KernelContext, x: View, dtype: DType): GpuStorage {
  return map(ctx, 'cast', [x], dtype, conversion(x.dtype, dtype));
}

/** Writes `src` into the strided window `dst` (same shape and dtype); words move unconverted. */
export function copy(ctx: KernelContext, src: View, dst: View): void {
  if (src.storage === dst.storage) {
    // Windows of one storage may overlap, and one buffer cannot be bound for reading and writing
    // at once: copy through a contiguous snapshot.
    const snapshot = map(ctx, 'copy', [src], 'int32', 'a');
    const shape = src.shape;
    copy(ctx, { storage: snapshot, dtype: src.dtype, shape, strides: contiguousStrides(shape), offset: 0 }, dst);
    ctx.storages.free(snapshot);
    return;
  }
  const n = numel(src.shape);
  const kernel = { key: 'copy', source: () => mapSource(['int32'], 'int32', 'a', true) };
  const params = new Params().push(n, src.shape.length, ...src.shape).view(src).view(dst);
  ctx.run('copy', kernel, params.toArray(), [ctx.region(dst), ctx.region(src)], n);
}

/** `size` copies of `value` (bool stores `value != 0`). */
export function fill(ctx: KernelContext, size: number, value: number, dtype: DType): GpuStorage {
  const result = ctx.output('fill', size, dtype);
  const word =
    dtype === 'float32' ? new Uint32Array(Float32Array.of(value).buffer)[0]! : dtype === 'int32' ? Int32Array.of(value)[0]! >>> 0 : value !== 0 ? 1 : 0;
  const kernel = {
    key: 'fill',
    source: () => `${bindings([['out', 'read_write']])}
${ELEMENT_MAIN}
  if (i >= p[0]) { return; }
  out[i] = p[1];
}`,
  };
  ctx.run('fill', kernel, Uint32Array.of(size, word), [result.region], size);
  return result;
}
