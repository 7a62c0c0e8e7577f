/** Elementwise ONNX ops: arithmetic (on the host where every input is a host value), comparisons, activations, Cast. */
import * as flint from '@flint/core';
import { asTensor, HostValue, ONNX_TYPE, type Value } from '../values.ts';
import { required, type Handler, type OpContext } from './handler.ts';

type Binary = (a: flint.Tensor, b: flint.TensorLike) => flint.Tensor;

/** a op b on host values: equal lengths, or one of them a single value (shape arithmetic needs no more). */
function hostBinary(op: string, a: HostValue, b: HostValue, f: (x: number, y: number) => number, dataType: number): HostValue {
  const n = Math.max(a.data.length, b.data.length);
  if (a.data.length !== n && a.data.length !== 1) throw new RangeError(`onnx.load(): ${op} of host values of ${a.data.length} and ${b.data.length} elements`);
  if (b.data.length !== n && b.data.length !== 1) throw new RangeError(`onnx.load(): ${op} of host values of ${a.data.length} and ${b.data.length} elements`);
  const at = (v: HostValue, i: number): number => v.data[v.data.length === 1 ? 0 : i]!;
  const dims = a.data.length >= b.data.length ? a.dims : b.dims;
  return new HostValue(dims, Array.from({ length: n }, (_, i) => f(at(a, i), at(b, i))), dataType);
}

const isInt = (v: HostValue): boolean => v.dataType !== ONNX_TYPE.float && v.dataType !== ONNX_TYPE.double;

/** `compares`: the result is bool (Equal, Less, Greater), not the inputs' type. */
function binary(op: string, tensorOp: Binary, host: (x: number, y: number, ints: boolean) => number, compares = false): Handler {
  return (inputs, _attrs, ctx) => {
    const a = required(op, inputs, 0);
    const b = required(op, inputs, 1);
    if (a instanceof HostValue && b instanceof HostValue) return [hostBinary(op, a, b, (x, y) => host(x, y, isInt(a)), compares ? ONNX_TYPE.bool : a.dataType)];
    return [tensorOp(asTensor(op, a, ctx.device), asTensor(op, b, ctx.device))];
  };
}

/** ONNX's integer Div truncates toward zero; float Div is true division. */
function divide(a: flint.Tensor, b: flint.TensorLike): flint.Tensor {
  if (a.dtype !== 'int32') return flint.div(a, b);
  return flint.div(a, b).to('int32'); // the cast truncates toward zero
}

function unary(op: string, f: (x: flint.Tensor, ctx: OpContext) => flint.Tensor): Handler {
  return (inputs, _attrs, ctx) => [f(asTensor(op, required(op, inputs, 0), ctx.device), ctx)];
}

const cast: Handler = (inputs, attrs, ctx) => {
  const x = required('Cast', inputs, 0);
  const to = attrs.int('to', ONNX_TYPE.float);
  if (x instanceof HostValue) return [new HostValue(x.dims, to === ONNX_TYPE.float || to === ONNX_TYPE.double ? x.data : x.data.map(Math.trunc), to)];
  const dtype: flint.DType = to === ONNX_TYPE.float || to === ONNX_TYPE.double ? 'float32' : to === ONNX_TYPE.bool ? 'bool' : 'int32';
  return [asTensor('Cast', x, ctx.device).to(dtype)];
};

const where: Handler = (inputs, _attrs, ctx) => {
  const [c, a, b] = [0, 1, 2].map((i) => asTensor('Where', required('Where', inputs, i), ctx.device)) as [flint.Tensor, flint.Tensor, flint.Tensor];
  return [flint.where(c, a, b)];
};

export const ELEMENTWISE: Record<string, Handler> = {
  Add: binary('Add', flint.add, (x, y) => x + y),
  Sub: binary('Sub', flint.sub, (x, y) => x - y),
  Mul: binary('Mul', flint.mul, (x, y) => x * y),
  Div: binary('Div', divide, (x, y, ints) => (ints ? Math.trunc(x / y) : x / y)),
  Pow: binary('Pow', flint.pow, (x, y) => x ** y),
  Equal: binary('Equal', flint.eq, (x, y) => Number(x === y), true),
  Less: binary('Less', flint.lt, (x, y) => Number(x < y), true),
  Greater: binary('Greater', flint.gt, (x, y) => Number(x > y), true),
  Where: where,
  Cast: cast,
  Not: unary('Not', (x) => flint.logicalNot(x)),
  Relu: unary('Relu', flint.relu),
  Sigmoid: unary('Sigmoid', flint.sigmoid),
  Tanh: unary('Tanh', flint.tanh),
  Exp: unary('Exp', flint.exp),
  Log: unary('Log', flint.log),
  Sqrt: unary('Sqrt', flint.sqrt),
  Neg: unary('Neg', flint.neg),
  Abs: unary('Abs', flint.abs),
  Erf: unary('Erf', flint.erf),
  Reciprocal: unary('Reciprocal', flint.reciprocal),
  Floor: unary('Floor', flint.floor),
  Ceil: unary('Ceil', flint.ceil),
  Softplus: unary('Softplus', (x) => flint.nn.functional.softplus(x)),
  LeakyRelu: (inputs, attrs, ctx) => [flint.nn.functional.leakyRelu(asTensor('LeakyRelu', required('LeakyRelu', inputs, 0), ctx.device), attrs.float('alpha', 0.01))],
  Elu: (inputs, attrs, ctx) => [flint.nn.functional.elu(asTensor('Elu', required('Elu', inputs, 0), ctx.device), attrs.float('alpha', 1))],
};

export type { Value };
