/** Every fixture op name, merged from one table per fixture file. */
import type { OpFn } from './ops.ts';
import { opsTable } from './ops.ts';
import { nnTable } from './nn.ts';
import { mathTable } from './math.ts';

export type { OpFn };

export const opTables: Record<string, OpFn> = { ...opsTable, ...nnTable, ...mathTable };
