/** Every recorded op's ONNX mapping, by the op's public name. */
import { elementwise } from './elementwise.ts';
import { nn } from './nn.ts';
import { shape } from './shape.ts';
import type { Mapping } from './mapping.ts';

export const MAPPINGS: ReadonlyMap<string, Mapping> = new Map(Object.entries({ ...elementwise, ...nn, ...shape }));
export { unmapped, type Mapping } from './mapping.ts';
