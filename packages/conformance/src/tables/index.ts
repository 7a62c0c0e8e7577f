/** Every fixture op name, merged from one table per fixture file. */
import type { OpFn } from './ops.ts';
import { opsTable } from './ops.ts';
import { nnTable } from './nn.ts';
import { shapeTable } from './shape.ts';
import { sortTable } from './sort.ts';
import { samplingTable } from './sampling.ts';
import { indexTable } from './index-ops.ts';
import { mathTable } from './math.ts';
import { resampleTable } from './resample.ts';
import { recurrentTable } from './recurrent.ts';
import { convTable } from './conv.ts';
import { gradOf } from './second-order.ts';
import { nn2Table } from './nn2.ts';
import { transformerTable } from './transformer.ts';

export type { OpFn };
export { readAheadTable } from './read-ahead.ts';

const firstOrder: Record<string, OpFn> = { ...opsTable, ...nnTable, ...shapeTable, ...sortTable, ...samplingTable, ...indexTable, ...mathTable, ...resampleTable, ...recurrentTable, ...convTable, ...nn2Table, ...transformerTable };

export const opTables: Record<string, OpFn> = { ...firstOrder, gradOf: gradOf(firstOrder) };
