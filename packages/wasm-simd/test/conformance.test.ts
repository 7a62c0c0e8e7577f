import { runConformance } from '@flint/conformance';
import { cpuJs } from '@flint/cpu-js';
import { wasmSimd } from '../src/index.ts';

runConformance(wasmSimd, { reference: cpuJs, fusedExact: true });
