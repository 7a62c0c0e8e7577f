/** The embedded schema is the copied official onnx.proto3, letter for letter. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ONNX_PROTO3 } from '../src/onnx-proto3.ts';

it('src/onnx-proto3.ts holds proto/onnx.proto3 (rerun embed-proto after updating it)', () => {
  const file = readFileSync(new URL('../proto/onnx.proto3', import.meta.url), 'utf8');
  expect(ONNX_PROTO3).toBe(file);
  expect(file.split('\n')[0]).toMatch(/^\/\/ Copied from github\.com\/onnx\/onnx, onnx\/onnx\.proto3 at commit [0-9a-f]{40} \(Apache-2\.0\)\.$/);
  expect(file).toContain('SPDX-License-Identifier: Apache-2.0');
});
