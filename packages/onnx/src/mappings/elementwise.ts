/** Elementwise arithmetic, comparisons, activations and softmax. */
import type { tracing } from '@flint/core';
import type { GraphBuilder } from '../builder.ts';
import { commonDType, operand, unmapped, type Mapping } from './mapping.ts';

/** An op computed by one ONNX node over its operands brought to the output's dtype. */
function same(opType: string): Mapping {
  return (node, g) => {
    const dtype = node.outputs[0]!.dtype;
    g.node(opType, node.inputs.map((_, i) => operand(g, node, i, dtype)), g.outputs(node));
  };
}

/** A comparison or logical op: operands in their common dtype, a bool result. */
function comparison(opType: string, negate = false): Mapping {
  return (node, g) => {
    const dtype = opType === 'And' || opType === 'Or' ? 'bool' : commonDType(...node.inputs);
    const operands = node.inputs.map((_, i) => operand(g, node, i, dtype));
    const [out] = g.outputs(node);
    if (negate) g.node('Not', [g.step(opType, operands)], [out!]);
    else g.node(opType, operands, [out!]);
  };
}

/** A unary op written as a function of its input's name, emitting its own nodes, ending in `out`. */
function composed(build: (g: GraphBuilder, x: string, out: string, node: tracing.TraceNode) => void): Mapping {
  return (node, g) => build(g, operand(g, node, 0, 'float32'), g.outputs(node)[0]!, node);
}

const f = (g: GraphBuilder, v: number): string => g.scalar(v, 'float32');

function gelu(g: GraphBuilder, x: string, out: string, node: tracing.TraceNode): void {
  const approximate = (node.attrs as { approximate?: string }).approximate ?? 'none';
  const half = g.step('Mul', [x, f(g, 0.5)]);
  let inner: string;
  if (approximate === 'tanh') {
    // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
    const cube = g.step('Mul', [g.step('Mul', [x, x]), x]);
    const poly = g.step('Add', [x, g.step('Mul', [cube, f(g, 0.044715)])]);
    inner = g.step('Tanh', [g.step('Mul', [poly, f(g, Math.sqrt(2 / Math.PI))])]);
  } else {
    inner = g.step('Erf', [g.step('Mul', [x, f(g, Math.SQRT1_2)])]);
  }
  g.node('Mul', [half, g.step('Add', [inner, f(g, 1)])], [out]);
}

function clamp(node: tracing.TraceNode, g: GraphBuilder): void {
  const dtype = node.outputs[0]!.dtype;
  let x = operand(g, node, 0, dtype);
  const [out] = g.outputs(node);
  const bounds: Array<[number, string]> = [[1, 'Max'], [2, 'Min']];
  const present = bounds.filter(([i]) => node.inputs[i]!.kind !== 'none');
  present.forEach(([i, opType], k) => {
    const bound = operand(g, node, i, dtype);
    x = k === present.length - 1 ? g.node(opType, [x, bound], [out!]) : g.step(opType, [x, bound]);
  });
}

function softmaxLike(opType: string): Mapping {
  return (node, g) => {
    g.node(opType, [g.arg(node.inputs[0]!)], g.outputs(node), { axis: (node.attrs as { dim: number }).dim });
  };
}

function dropout(node: tracing.TraceNode, g: GraphBuilder): void {
  const { p, options } = node.attrs as { p?: number; options?: { training?: boolean } };
  if ((options?.training ?? true) && (p ?? 0.5) > 0) throw unmapped('dropout', 'in training mode (call model.eval() or pass training: false)');
  g.node('Identity', [g.arg(node.inputs[0]!)], g.outputs(node));
}

export const elementwise: Record<string, Mapping> = {
  add: same('Add'),
  sub: same('Sub'),
  mul: same('Mul'),
  div: same('Div'),
  pow: same('Pow'),
  maximum: same('Max'),
  minimum: same('Min'),
  neg: same('Neg'),
  abs: same('Abs'),
  sign: same('Sign'),
  floor: same('Floor'),
  ceil: same('Ceil'),
  round: same('Round'),
  exp: same('Exp'),
  log: same('Log'),
  sqrt: same('Sqrt'),
  reciprocal: same('Reciprocal'),
  sin: same('Sin'),
  cos: same('Cos'),
  tanh: same('Tanh'),
  sigmoid: same('Sigmoid'),
  relu: same('Relu'),
  erf: same('Erf'),
  softplus: same('Softplus'),
  where: (node, g) => {
    const dtype = node.outputs[0]!.dtype;
    g.node('Where', [g.arg(node.inputs[0]!), operand(g, node, 1, dtype), operand(g, node, 2, dtype)], g.outputs(node));
  },
  rsqrt: composed((g, x, out) => g.node('Reciprocal', [g.step('Sqrt', [x])], [out])),
  log1p: composed((g, x, out) => g.node('Log', [g.step('Add', [x, f(g, 1)])], [out])),
  expm1: composed((g, x, out) => g.node('Sub', [g.step('Exp', [x]), f(g, 1)], [out])),
  erfc: composed((g, x, out) => g.node('Sub', [f(g, 1), g.step('Erf', [x])], [out])),
  silu: composed((g, x, out) => g.node('Mul', [x, g.step('Sigmoid', [x])], [out])),
  gelu: composed(gelu),
  leakyRelu: (node, g) => {
    g.node('LeakyRelu', [operand(g, node, 0, 'float32')], g.outputs(node), { alpha: { f: (node.attrs as { negativeSlope: number }).negativeSlope } });
  },
  clamp,
  softmax: softmaxLike('Softmax'),
  logSoftmax: softmaxLike('LogSoftmax'),
  dropout,
  eq: comparison('Equal'),
  ne: comparison('Equal', true),
  lt: comparison('Less'),
  le: comparison('LessOrEqual'),
  gt: comparison('Greater'),
  ge: comparison('GreaterOrEqual'),
  logicalAnd: comparison('And'),
  logicalOr: comparison('Or'),
  logicalNot: same('Not'),
  isnan: (node, g) => {
    g.node('IsNaN', [g.arg(node.inputs[0]!)], g.outputs(node));
  },
};
