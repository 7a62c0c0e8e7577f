/**
 * Tracing: recording the public ops a forward pass runs, with their attributes, for exporters such
 * as `@flint/onnx`. For extension authors: `traced` makes an op of theirs recordable.
 */
export { trace, type TraceOptions } from './trace.ts';
export { traced } from './state.ts';
export type { TraceTarget } from './session.ts';
export type { TraceGraph, TraceNode, TraceArg, TraceValue, TraceConstant } from './graph.ts';
