import type { Backend, View } from '@flint/core';

/**
 * Runs the hot kernels once on small inputs at start-up. V8 compiles a wasm function with its
 * baseline compiler first and tiers up in the background; calling them early moves that work out
 * of the first real step.
 */
export function warmUp(backend: Backend): void {
  const n = 64;
  const a = backend.fill(n * n, 0.5, 'float32');
  const view = (shape: number[], strides: number[]): View => ({ storage: a, dtype: 'float32', shape, strides, offset: 0 });
  const square = view([1, n, n], [0, n, 1]);
  const made = [
    backend.matmul(square, square),
    backend.matmul(view([1, 1, n], [0, n, 1]), square),
    backend.binary('add', view([n, n], [n, 1]), view([n, n], [0, 1])),
    backend.unary('relu', view([n * n], [1])),
    backend.reduce('sum', view([n, n], [n, 1]), [1]),
    backend.conv2d(view([1, 1, n, n], [0, 0, n, 1]), view([2, 1, 3, 3], [9, 9, 3, 1]),
      { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }),
  ];
  for (const s of [a, ...made]) backend.free(s);
}
