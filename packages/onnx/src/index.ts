/**
 * @flint/onnx: flint models to ONNX (opset 17), for ONNX Runtime and every engine that reads
 * ONNX. A package of its own, so that core's users do not carry protobuf.
 */
export { exportOnnx, onnx, OPSET, type ExportOptions, type ExportTarget, type DynamicAxes, type Exportable } from './export.ts';
export type { ExampleInput, ExampleInputs } from './inputs.ts';
export { loadOnnx } from './import/load.ts';
export { OnnxModule } from './import/module.ts';
