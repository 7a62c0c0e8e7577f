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

/** Spellings Python's formatting gives that JavaScript's does not: nan, inf and the sign of -0. */
function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return undefined;
}

/** A formatter and the column width PyTorch derives from the nonzero finite values. */
interface Style {
  readonly fmt: Formatter;
  readonly width: number;
}

function floatStyle(values: readonly number[]): Style {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  const abs = finite.map(Math.abs);
  const lo = Math.min(...abs);
  const hi = Math.max(...abs);
  const integral = finite.every((v) => Number.isInteger(v));
  const sci = finite.length > 0 && (hi / lo > 1000 || hi > 1e8 || (!integral && lo < 1e-4));
  let fmt: Formatter;
  const signed = (text: (v: number) => string): Formatter => (v) => special(v) ?? `${Object.is(v, -0) ? '-' : ''}${text(v)}`;
  if (integral && !sci) fmt = signed((v) => `${v.toFixed(0)}.`);
  else if (sci) fmt = signed((v) => pyExponential(v, 4));
  else fmt = signed((v) => v.toFixed(4));
  return { fmt, width: Math.max(1, ...finite.map((v) => fmt(v).length)) };
}

function styleFor(t: Tensor, values: readonly number[]): Style {
  if (t.dtype === 'float32') return floatStyle(values);
  const fmt: Formatter = t.dtype === 'bool' ? (v) => (v ? 'True' : 'False') : (v) => String(v);
  return { fmt, width: Math.max(1, ...values.map((v) => fmt(v).length)) };
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
  const { fmt, width } = styleFor(t, shownValues(t, data, summarize));
  const strides = contiguousStrides(t.shape);
  const indent = prefix.length;

  const block = (d: number, base: number): string => {
    if (d === t.ndim) return fmt(data[base]!).padStart(width);
    // PyTorch marks a gap in a row as ' ...' and a gap between rows or blocks as '...'.
    const gap = d === t.ndim - 1 ? ' ...' : '...';
    const items = indices(t.shape[d]!, summarize).map((i) => (i < 0 ? gap : block(d + 1, base + i * strides[d]!)));
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
