/**
 * The sliding-window arguments that pooling, unpooling and fold layers share, checked when the
 * layer is built (PyTorch checks them only when the layer first runs, under the functional's name).
 */
import { checkBoolean, checkInteger, checkSizes, shown } from '../../options/check-values.ts';

/** The window options a layer may take; each is checked only when given. */
export interface WindowArguments {
  stride?: unknown;
  padding?: unknown;
  dilation?: unknown;
  ceilMode?: unknown;
  countIncludePad?: unknown;
  divisorOverride?: unknown;
}

/**
 * Throws under `op` unless `kernelSize` and the options given in `options` fit a window over `dims`
 * dims: kernel, stride and dilation sizes >= 1, padding >= 0, flags boolean and a divisor a
 * non-zero integer.
 */
export function checkWindow(op: string, dims: number, kernelSize: unknown, options: WindowArguments): void {
  checkSizes(op, 'kernel_size', kernelSize, dims, 1);
  if (options.stride !== undefined) checkSizes(op, 'stride', options.stride, dims, 1);
  if (options.padding !== undefined) checkSizes(op, 'padding', options.padding, dims, 0);
  if (options.dilation !== undefined) checkSizes(op, 'dilation', options.dilation, dims, 1);
  if (options.ceilMode !== undefined) checkBoolean(op, 'ceilMode', options.ceilMode);
  if (options.countIncludePad !== undefined) checkBoolean(op, 'countIncludePad', options.countIncludePad);
  if (options.divisorOverride !== undefined) {
    checkInteger(op, 'divisorOverride', options.divisorOverride);
    if (options.divisorOverride === 0) throw new RangeError(`${op}(): divisor must be not zero`);
  }
}

/**
 * Throws under `op` unless `outputSize` is a positive integer or a list of 2 positive integers or
 * nulls (null keeps that input size), as the 2-D adaptive pools take it.
 */
export function checkOutputSize2d(op: string, outputSize: unknown): void {
  if (typeof outputSize === 'number') return checkInteger(op, 'output_size', outputSize, 1);
  const ok = Array.isArray(outputSize) && outputSize.length === 2 && outputSize.every((s) => s === null || Number.isInteger(s));
  if (!ok) throw new TypeError(`${op}(): output_size must be a positive integer or a list of 2 positive integers or nulls, but got ${shown(outputSize)}`);
  if (outputSize.some((s) => s !== null && s < 1)) throw new RangeError(`${op}(): output_size must be positive, but got ${shown(outputSize)}`);
}
