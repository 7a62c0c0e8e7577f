import { runConformance } from '@flint/conformance';
import { cpuJs } from '../src/index.ts';

runConformance(cpuJs);
