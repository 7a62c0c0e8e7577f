/**
 * torch.nn.functional.pad: constant padding by narrow and cat, the other modes as one indexSelect
 * per padded dim with the source position of every output position, so gradients come from those.
 */
import type { Tensor } from '../../tensor/tensor.ts';
import { formatShape } from '../../tensor/shape.ts';
import { tidy } from '../../memory/scope.ts';
import { full, tensor } from '../../ops/creation.ts';
import { indexSelect } from '../../ops/indexing.ts';
import { cat } from '../../ops/join.ts';
import { narrow } from '../../ops/view.ts';
import { checkChoice } from '../../options/check-choice.ts';
import { checkTensors } from '../../ops/broadcast.ts';

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

const modes: readonly PadMode[] = ['constant', 'reflect', 'replicate', 'circular'];
const axisNames = ['W', 'H', 'D'];

/** `x` with the entries at `positions` (host integers, all in range) along `d`. */
export function selectAlong(x: Tensor, d: number, positions: readonly number[]): Tensor {
  return indexSelect(x, d, tensor(positions as number[], { dtype: 'int32', device: x.device }));
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/** Where output position `o` of a dim of size `n` padded by `before` reads from, for a non-constant mode. */
function sourcePosition(mode: Exclude<PadMode, 'constant'>, o: number, n: number, before: number, after: number): number {
  const i = o - before;
  if (mode === 'replicate') return Math.min(Math.max(i, 0), n - 1);
  if (mode === 'reflect') return i < 0 ? -i : i > n - 1 ? 2 * (n - 1) - i : i;
  // Circular padding wraps the kept (possibly cropped) part, as PyTorch's does.
  const start = Math.max(-before, 0);
  const kept = n - start - Math.max(-after, 0);
  return start + mod(o - Math.max(before, 0), kept);
}

function checkPad(x: Tensor, padding: readonly number[], mode: PadMode, value: number | undefined): void {
  x.assertAlive('pad');
  checkChoice('pad', 'mode', mode, modes, `Unrecognised padding mode ${String(mode)}`);
  if (padding.some((p) => !Number.isInteger(p))) throw new TypeError(`pad(): padding must be integers, got (${padding.join(', ')})`);
  if (padding.length % 2 !== 0) throw new RangeError('pad(): Padding length must be divisible by 2');
  const dims = padding.length / 2;
  if (dims > x.ndim) throw new RangeError('pad(): Padding length too large');
  if (mode === 'constant') {
    for (let k = 0; k < dims; k++) {
      const d = x.ndim - 1 - k;
      const size = x.shape[d]!;
      const [before, after] = [padding[2 * k]!, padding[2 * k + 1]!];
      if (size + before + after < 0) {
        throw new RangeError(`pad(): The input size ${size}, plus negative padding ${before} and ${after} resulted in a negative output size, which is invalid. Check dimension ${d} of your input.`);
      }
    }
    return;
  }
  if (value !== undefined) throw new RangeError(`pad(): Padding mode "${mode}" doesn't take in value argument`);
  if (dims > 3 || x.ndim < dims + 1 || x.ndim > dims + 2) throw new RangeError('pad(): Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
  if (mode === 'circular' && x.ndim !== dims + 2) throw new RangeError(`pad(): Invalid padding size, expected ${2 * (x.ndim - 2)} but got ${padding.length}`);
  for (let k = 0; k < dims; k++) {
    const d = x.ndim - 1 - k;
    const size = x.shape[d]!;
    const [before, after] = [padding[2 * k]!, padding[2 * k + 1]!];
    const out = size + before + after;
    if (mode === 'circular') {
      if (before > size || after > size) throw new RangeError('pad(): Padding value causes wrapping around more than once.');
      if (out < 0) throw new RangeError('pad(): Negative padding value is resulting in an empty dimension');
      continue;
    }
    if (mode === 'reflect' && (before >= size || after >= size)) {
      // PyTorch's 2-D reflection check prints the rank where the others print the shape.
      const shown = dims === 2 ? String(x.ndim) : formatShape(x.shape);
      throw new RangeError(`pad(): Argument #${4 + 2 * k}: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${d} of input ${shown}`);
    }
    if (out < 1) throw new RangeError(`pad(): input (${axisNames[k]}: ${size}) is too small. Calculated output ${axisNames[k]}: ${out}`);
  }
}

/**
 * `x` padded on its last `padding.length / 2` dims, as torch.nn.functional.pad: `padding` lists
 * (before, after) pairs starting from the last dim; negative amounts crop. 'constant' fills with
 * `value` (0 by default) on any number of dims; 'reflect' (mirror without repeating the edge),
 * 'replicate' (repeat the edge) and 'circular' (wrap around) pad the last 1, 2 or 3 dims of a
 * tensor with one or two leading dims ('circular' needs both).
 * @example flint.nn.functional.pad(x, [1, 1, 2, 0], 'reflect') // W padded by 1 each side, H by 2 on top
 */
export function pad(x: Tensor, padding: readonly number[], mode: PadMode = 'constant', value?: number): Tensor {
  checkTensors('pad', [x]);
  checkPad(x, padding, mode, value);
  return tidy(() => {
    let out = x;
    for (let k = 0; k < padding.length / 2; k++) {
      const d = x.ndim - 1 - k;
      const [before, after] = [padding[2 * k]!, padding[2 * k + 1]!];
      if (before === 0 && after === 0) continue;
      const size = out.shape[d]!;
      if (mode !== 'constant') {
        const positions = Array.from({ length: size + before + after }, (_, o) => sourcePosition(mode, o, size, before, after));
        out = selectAlong(out, d, positions);
        continue;
      }
      const keptStart = Math.max(-before, 0);
      out = narrow(out, d, Math.min(keptStart, size), Math.max(size - keptStart - Math.max(-after, 0), 0));
      const filler = (n: number): Tensor => full(out.shape.map((s, i) => (i === d ? n : s)), value ?? 0, { dtype: x.dtype, device: x.device });
      const parts = [...(before > 0 ? [filler(before)] : []), out, ...(after > 0 ? [filler(after)] : [])];
      out = parts.length === 1 ? out : cat(parts, d);
    }
    return out === x ? x.clone() : out;
  });
}
