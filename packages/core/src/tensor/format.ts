/** PyTorch-style repr: `tensor([[ 1.0000, -2.5000]], requires_grad=True)`. */
import type { AnyTypedArray } from '../backend/types.ts';
import type { Tensor } from './tensor.ts';
import { contiguousStrides } from './shape.ts';

const EDGE_ITEMS = 3;
const SUMMARIZE_ABOVE = 1000;
const LINE_WIDTH = 80;

/** Formats one value; all share a style chosen from the whole tensor, as PyTorch does. */
type Formatter = (v: number) => string;

function pyExponential(v: number, digits: number): string {
  const [mantissa, exp] = v.toExponential(digits).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

function floatFormatter(values: readonly number[]): Formatter {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (finite.length === 0) return (v) => special(v) ?? (Object.is(v, -0) ? '-0.' : '0.');
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const integral = values.every((v) => !Number.isFinite(v) || Number.isInteger(v));
  const sci = hi / lo > 1000 || hi > 1e8 || (!integral && lo < 1e-4);
  if (integral && !sci) return (v) => special(v) ?? `${v.toFixed(0)}.`;
  if (sci) return (v) => special(v) ?? pyExponential(v, 4);
  return (v) => special(v) ?? v.toFixed(4);
}

function formatterFor(t: Tensor, values: readonly number[]): Formatter {
  if (t.dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (t.dtype === 'int32') return (v) => String(v);
  return floatFormatter(values);
}

/** The values PyTorch would print: all of them, or the edges when the tensor is large. */
function shownValues(t: Tensor, data: AnyTypedArray, summarize: boolean): number[] {
  const out: number[] = [];
  const strides = contiguousStrides(t.shape);
  const walk = (d: number, base: number): void => {
    if (d === t.ndim) {
      out.push(data[base]!);
      return;
    }
    for (const i of indices(t.shape[d]!, summarize)) if (i >= 0) walk(d + 1, base + i * strides[d]!);
  };
  walk(0, 0);
  return out;
}

/** Indices shown along a dim; -1 stands for the '...' gap. */
function indices(size: number, summarize: boolean): number[] {
  if (!summarize || size <= 2 * EDGE_ITEMS) return Array.from({ length: size }, (_, i) => i);
  return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)];
}

export function formatTensor(t: Tensor, data: AnyTypedArray): string {
  const prefix = 'tensor(';
  const summarize = t.size > SUMMARIZE_ABOVE;
  const fmt = formatterFor(t, shownValues(t, data, summarize));
  const width = Math.max(1, ...shownValues(t, data, summarize).map((v) => fmt(v).length));
  const strides = contiguousStrides(t.shape);
  const indent = prefix.length;

  const block = (d: number, base: number): string => {
    if (d === t.ndim) return fmt(data[base]!).padStart(width);
    const items = indices(t.shape[d]!, summarize).map((i) => (i < 0 ? '...' : block(d + 1, base + i * strides[d]!)));
    if (d === t.ndim - 1) {
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent - d) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + d + 1)}`)}]`;
    }
    const sep = `,${'\n'.repeat(t.ndim - d - 1)}${' '.repeat(indent + d + 1)}`;
    return `[${items.join(sep)}]`;
  };

  let body: string;
  if (t.ndim === 0) body = fmt(data[0]!);
  else if (t.size === 0) body = t.ndim === 1 ? '[]' : `[], size=(${t.shape.join(', ')})`;
  else body = block(0, 0);
  const suffix: string[] = [];
  if (t.device !== 'cpu-js') suffix.push(`device='${t.device}'`);
  if (t.gradFn) suffix.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffix.push('requires_grad=True');
  return `${prefix}${body}${suffix.map((s) => `, ${s}`).join('')})`;
}
