/**
 * Writes src/onnx-proto3.ts from proto/onnx.proto3, so that the schema travels inside the bundle
 * (browsers and bundlers have no file to read). Run after updating the copied .proto3 file.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const text = readFileSync(new URL('../proto/onnx.proto3', import.meta.url), 'utf8');
const header = '/** proto/onnx.proto3 as a string (written by scripts/embed-proto.ts; do not edit). */\n';
writeFileSync(new URL('../src/onnx-proto3.ts', import.meta.url), `${header}export const ONNX_PROTO3 = ${JSON.stringify(text)};\n`);
