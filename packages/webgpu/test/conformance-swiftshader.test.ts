import { runConformance } from '@flint/conformance';
import { cpuJs } from '@flint/cpu-js';
import { useSwiftShader } from './driver.ts';
import { webgpu } from '../src/index.ts';

// The same suite on a second WebGPU driver: SwiftShader's Vulkan (stricter limits, no shader-f16),
// as its own device name so the two runs stay apart in reports. Vitest gives each test file its
// own process, so this file's driver choice does not reach the lavapipe run.
useSwiftShader();
runConformance({ ...webgpu, name: 'webgpu-swiftshader', aliases: [] }, { reference: cpuJs });
