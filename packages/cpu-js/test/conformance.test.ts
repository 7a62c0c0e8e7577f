import { runConformance } from '@flint/conformance';
import { cpuJs, createCpuBackend } from '../src/index.ts';

// A second, independent cpu-js instance serves as the reference, so the cross-backend agreement
// path (separate devices, separate storages) runs here too.
runConformance(cpuJs, { reference: { name: 'cpu-js-reference', aliases: [], priority: -1, factory: createCpuBackend }, fusedExact: true });
