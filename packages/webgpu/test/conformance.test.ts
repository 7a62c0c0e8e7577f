import { runConformance } from '@flint/conformance';
import { cpuJs } from '@flint/cpu-js';
import { ensureDriver } from './driver.ts';
import { webgpu } from '../src/index.ts';

// Before the backend first asks for an adapter: the Vulkan loader reads the driver list then.
ensureDriver();
runConformance(webgpu, { reference: cpuJs });
