/** How each op of fixtures/nn.json runs in flint. */
import type { OpFn } from './ops.ts';

export const nnTable: Record<string, OpFn> = {};
