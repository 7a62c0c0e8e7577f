/**
 * ONNX's shape and data-movement ops: Shape, Constant, Reshape, Transpose, Concat, Gather,
 * Unsqueeze, Squeeze, Slice, Split, Expand, Flatten, reductions. Where every input is a host value
 * (shape arithmetic), they stay on the host.
 */
import * as flint from '@flint/core';
import { allHost, asTensor, fromProto, HostValue, hostNumbers, ONNX_TYPE, protoNumbers, type Value } from '../values.ts';
import { required, type Handler, type OpContext } from './handler.ts';

const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);
const dimsOf = (v: Value): readonly number[] => (v instanceof HostValue ? v.dims : v.shape);
const tensorOf = (op: string, v: Value, ctx: OpContext): flint.Tensor => asTensor(op, v, ctx.device);

/** Axes given as an input (opset 13+) or, for older nodes, as an attribute. */
function axesOf(op: string, inputs: ReadonlyArray<Value | undefined>, index: number, attrs: { ints(name: string): number[]; has(name: string): boolean }): number[] | undefined {
  const given = inputs[index];
  if (given !== undefined) return hostNumbers(op, given, 'axes');
  return attrs.has('axes') ? attrs.ints('axes') : undefined;
}

/** The elements of a host value at `indices` along `axis` (rank 0 or 1 data: shape arithmetic). */
function hostGather(data: HostValue, indices: HostValue, axis: number): HostValue {
  if (data.dims.length > 1 || axis !== 0) throw new RangeError('onnx.load(): Gather of a host value of rank > 1 is not supported');
  const n = data.data.length;
  const picked = indices.data.map((i) => data.data[i < 0 ? i + n : i]!);
  return new HostValue(indices.dims, picked, data.dataType);
}

const shape: Handler = (inputs, attrs) => {
  const dims = dimsOf(required('Shape', inputs, 0));
  const start = norm(attrs.int('start', 0), dims.length);
  const end = attrs.has('end') ? norm(attrs.int('end', dims.length), dims.length) : dims.length;
  const picked = dims.slice(start, end);
  return [new HostValue([picked.length], picked, ONNX_TYPE.int64)];
};

const constant: Handler = (_inputs, attrs) => {
  const t = attrs.tensor('value');
  if (t) return [fromProto('Constant', t)];
  if (attrs.has('value_float')) return [flint.tensor(attrs.float('value_float', 0))];
  if (attrs.has('value_int')) return [new HostValue([], [attrs.int('value_int', 0)], ONNX_TYPE.int64)];
  if (attrs.has('value_ints')) {
    const v = attrs.ints('value_ints');
    return [new HostValue([v.length], v, ONNX_TYPE.int64)];
  }
  throw new RangeError('onnx.load(): Constant without a value, value_float, value_int or value_ints attribute is not supported');
};

const constantOfShape: Handler = (inputs, attrs, ctx) => {
  const dims = hostNumbers('ConstantOfShape', required('ConstantOfShape', inputs, 0), 'the shape');
  const t = attrs.tensor('value');
  const value = t ? protoNumbers('ConstantOfShape', t)[0]! : 0;
  const type = t?.dataType ?? ONNX_TYPE.float;
  if (type === ONNX_TYPE.int64) return [new HostValue(dims, new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(value), type)];
  return [asTensor('ConstantOfShape', new HostValue([], [value], type), ctx.device).expand(dims).contiguous()];
};

const reshape: Handler = (inputs, attrs) => {
  const x = required('Reshape', inputs, 0);
  const target = hostNumbers('Reshape', required('Reshape', inputs, 1), 'the shape');
  const dims = dimsOf(x);
  // 0 copies the input's dim unless allowzero.
  const resolved = attrs.int('allowzero', 0) ? target : target.map((d, i) => (d === 0 ? dims[i]! : d));
  if (x instanceof HostValue) {
    const known = resolved.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    return [new HostValue(resolved.map((d) => (d === -1 ? x.data.length / known : d)), x.data, x.dataType)];
  }
  return [x.reshape(resolved)];
};

const transpose: Handler = (inputs, attrs, ctx) => {
  const x = tensorOf('Transpose', required('Transpose', inputs, 0), ctx);
  const perm = attrs.has('perm') ? attrs.ints('perm') : Array.from({ length: x.ndim }, (_, i) => x.ndim - 1 - i);
  return [x.permute(perm)];
};

const concat: Handler = (inputs, attrs, ctx) => {
  const parts = inputs.filter((v): v is Value => v !== undefined);
  if (allHost(parts)) {
    const data = parts.flatMap((p) => p.data);
    return [new HostValue([data.length], data, parts[0]!.dataType)];
  }
  return [flint.cat(parts.map((p) => tensorOf('Concat', p, ctx)), attrs.int('axis', 0))];
};

const gather: Handler = (inputs, attrs, ctx) => {
  const data = required('Gather', inputs, 0);
  const indices = required('Gather', inputs, 1);
  const axis = attrs.int('axis', 0);
  if (data instanceof HostValue && indices instanceof HostValue) return [hostGather(data, indices, norm(axis, data.dims.length))];
  const x = tensorOf('Gather', data, ctx);
  const d = norm(axis, x.ndim);
  if (indices instanceof HostValue && indices.dims.length === 0) return [x.select(d, indices.data[0]!)];
  const index = tensorOf('Gather', indices, ctx);
  // Negative indices count from the end, as ONNX allows.
  const size = x.shape[d]!;
  const positive = index.add(flint.lt(index, 0).to('int32').mul(size));
  const flat = flint.indexSelect(x, d, positive.reshape([-1]));
  return [flat.reshape([...x.shape.slice(0, d), ...index.shape, ...x.shape.slice(d + 1)])];
};

const unsqueeze: Handler = (inputs, attrs, ctx) => {
  const x = required('Unsqueeze', inputs, 0);
  const axes = axesOf('Unsqueeze', inputs, 1, attrs) ?? [];
  const rank = dimsOf(x).length + axes.length;
  const sorted = axes.map((a) => norm(a, rank)).sort((a, b) => a - b);
  if (x instanceof HostValue) {
    const dims = [...x.dims];
    for (const a of sorted) dims.splice(a, 0, 1);
    return [new HostValue(dims, x.data, x.dataType)];
  }
  let y = tensorOf('Unsqueeze', x, ctx);
  for (const a of sorted) y = y.unsqueeze(a);
  return [y];
};

const squeeze: Handler = (inputs, attrs, ctx) => {
  const x = required('Squeeze', inputs, 0);
  const dims = dimsOf(x);
  const axes = (axesOf('Squeeze', inputs, 1, attrs) ?? dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => norm(a, dims.length));
  if (x instanceof HostValue) return [new HostValue(dims.filter((_, i) => !axes.includes(i)), x.data, x.dataType)];
  return [tensorOf('Squeeze', x, ctx).squeeze(axes)];
};

const slice: Handler = (inputs, _attrs, ctx) => {
  const x = required('Slice', inputs, 0);
  const starts = hostNumbers('Slice', required('Slice', inputs, 1), 'starts');
  const ends = hostNumbers('Slice', required('Slice', inputs, 2), 'ends');
  const rank = dimsOf(x).length;
  const axes = inputs[3] ? hostNumbers('Slice', inputs[3], 'axes').map((a) => norm(a, rank)) : starts.map((_, i) => i);
  const steps = inputs[4] ? hostNumbers('Slice', inputs[4], 'steps') : starts.map(() => 1);
  if (steps.some((s) => s <= 0)) throw new RangeError('onnx.load(): Slice with a negative or zero step is not supported');
  // ONNX clamps out-of-range bounds (INT64_MAX for "to the end") as Python's slices do.
  const spec: flint.AdvancedIndexSpec[] = Array.from({ length: rank }, () => ':');
  axes.forEach((a, i) => {
    const clamp = (v: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
    spec[a] = [clamp(starts[i]!), clamp(ends[i]!), steps[i]!];
  });
  if (x instanceof HostValue) {
    if (rank !== 1) throw new RangeError('onnx.load(): Slice of a host value of rank > 1 is not supported');
    const [s, e, st] = spec[0] as [number, number, number];
    const n = x.data.length;
    const lo = Math.min(Math.max(s < 0 ? s + n : s, 0), n);
    const hi = Math.min(Math.max(e < 0 ? e + n : e, 0), n);
    const picked = x.data.slice(lo, hi).filter((_, i) => i % st === 0);
    return [new HostValue([picked.length], picked, x.dataType)];
  }
  return [tensorOf('Slice', x, ctx).index(...spec)];
};

const split: Handler = (inputs, attrs, ctx) => {
  const x = tensorOf('Split', required('Split', inputs, 0), ctx);
  const axis = norm(attrs.int('axis', 0), x.ndim);
  const sizes = inputs[1] ? hostNumbers('Split', inputs[1], 'split') : undefined;
  const count = attrs.int('num_outputs', 0);
  if (sizes) return flint.split(x, sizes, axis);
  if (count > 0) return flint.chunk(x, count, axis);
  throw new RangeError('onnx.load(): Split needs its split sizes input (or num_outputs)');
};

const expand: Handler = (inputs, _attrs, ctx) => {
  const x = tensorOf('Expand', required('Expand', inputs, 0), ctx);
  const target = hostNumbers('Expand', required('Expand', inputs, 1), 'the shape');
  // ONNX's Expand broadcasts both ways: a 1 in the target keeps the input's dim.
  const rank = Math.max(x.ndim, target.length);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const shape = pad(target).map((d, i) => (d === 1 ? pad(x.shape)[i]! : d));
  return [x.reshape(pad(x.shape)).expand(shape)];
};

const flatten: Handler = (inputs, attrs, ctx) => {
  const x = tensorOf('Flatten', required('Flatten', inputs, 0), ctx);
  const axis = norm(attrs.int('axis', 1), x.ndim);
  const outer = x.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  return [x.reshape([outer, -1])];
};

function reduce(op: 'ReduceMean' | 'ReduceSum', axesAsInput: boolean): Handler {
  return (inputs, attrs, ctx) => {
    const x = tensorOf(op, required(op, inputs, 0), ctx);
    const axes = axesAsInput ? axesOf(op, inputs, 1, attrs) : attrs.has('axes') ? attrs.ints('axes') : undefined;
    const keepdims = attrs.int('keepdims', 1) === 1;
    if (!axes || axes.length === 0) {
      if (attrs.int('noop_with_empty_axes', 0)) return [x];
      const all = Array.from({ length: x.ndim }, (_, i) => i);
      return [op === 'ReduceMean' ? x.mean(all, keepdims) : x.sum(all, keepdims)];
    }
    return [op === 'ReduceMean' ? x.mean(axes, keepdims) : x.sum(axes, keepdims)];
  };
}

const identity: Handler = (inputs) => [required('Identity', inputs, 0)];

export const SHAPE: Record<string, Handler> = {
  Shape: shape,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Slice: slice,
  Split: split,
  Expand: expand,
  Flatten: flatten,
  Identity: identity,
  // Opset 17: ReduceMean takes its axes as an attribute, ReduceSum (since 13) as an input.
  ReduceMean: reduce('ReduceMean', false),
  ReduceSum: reduce('ReduceSum', true),
};
