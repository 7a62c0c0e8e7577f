import { ELEMENTWISE } from './elementwise.ts';
import { NN } from './nn.ts';
import { RECURRENT } from './recurrent.ts';
import { SHAPE } from './shape.ts';
import type { Handler } from './handler.ts';

/** Every ONNX op (default domain) the importer runs, by op type. */
export const HANDLERS: Readonly<Record<string, Handler>> = { ...ELEMENTWISE, ...NN, ...RECURRENT, ...SHAPE };
export type { Handler, OpContext } from './handler.ts';
