/**
 * The conformance suite: call {@link runConformance} from a vitest file in a backend package.
 * @example
 * import { runConformance } from '@flint/conformance';
 * import { cpuJs } from '@flint/cpu-js';
 * runConformance(cpuJs);
 */
import * as flint from '@flint/core';
import { beforeAll, describe } from 'vitest';
import type { SuiteContext } from './context.ts';
import { fixtureSuite } from './suites/fixtures.ts';
import { autogradSuite } from './suites/autograd.ts';
import { memorySuite } from './suites/memory.ts';
import { syncScopesSuite } from './suites/sync-scopes.ts';
import { profilerSuite } from './suites/profiler.ts';
import { transformerModulesSuite } from './suites/transformer-modules.ts';
import { exportsSuite } from './suites/exports.ts';
import { errorSuite } from './suites/errors.ts';
import { tensorSuite } from './suites/tensor.ts';
import { trainingSuite } from './suites/training.ts';
import { nnSuite } from './suites/nn.ts';
import { optimSuite } from './suites/optim.ts';
import { dataSuite } from './suites/data.ts';
import { ioSuite } from './suites/io.ts';
import { fusedSuite } from './suites/fused.ts';
import { edgeCaseSuite } from './suites/edge-cases.ts';
import { fuzzSuite } from './suites/fuzz/suite.ts';
import { inplaceAutogradSuite } from './suites/inplace-autograd.ts';
import { rearrangingErrorSuite } from './suites/rearranging-errors.ts';
import { samplingSuite } from './suites/sampling.ts';
import { indexAsyncSuite } from './suites/index-async.ts';
import { mathSuite } from './suites/math.ts';
import { accuracySuite } from './suites/accuracy.ts';
import { resampleErrorSuite } from './suites/resample-errors.ts';
import { recurrentSuite } from './suites/recurrent.ts';
import { modules2Suite } from './suites/modules2.ts';
import { optim2Suite } from './suites/optim2.ts';
import { nnInitSuite } from './suites/nn-init.ts';
import { hooksSuite } from './suites/hooks.ts';
import { lbfgsSuite } from './suites/lbfgs.ts';
import { atomicitySuite } from './suites/atomicity.ts';
import { badOptionsSuite } from './suites/bad-options.ts';
import { badSchedulesSuite } from './suites/bad-schedules.ts';
import { parameterVectorSuite } from './suites/parameter-vector.ts';
import { badValuesSuite } from './suites/bad-values.ts';
import { badConstructorsSuite } from './suites/bad-constructors.ts';
import { badArgumentsSuite } from './suites/bad-arguments.ts';

export { skips } from './skips.ts';
export { forwardTolerance, gradientTolerance, type Tolerance } from './tolerances.ts';
export type { SuiteContext };
export { loadFixtures, type FixtureCase } from './suites/fixtures.ts';

export interface ConformanceOptions {
  /**
   * A trusted backend every case is also run on, for cross-backend agreement (normally
   * `@flint/cpu-js`'s registration). Omit it when testing cpu-js itself.
   */
  reference?: flint.BackendRegistration;
  /**
   * Require the backend's fused kernels to equal its composed path bit for bit, rather than within
   * the op's tolerance: for backends whose fused kernels round every step as the composed path does
   * and sum in its order.
   */
  fusedExact?: boolean;
}

/** Registers every suite for `registration`, started as the default backend. */
export function runConformance(registration: flint.BackendRegistration, options: ConformanceOptions = {}): void {
  const reference = options.reference;
  const ctx: SuiteContext = { name: registration.name, reference: reference?.name, fusedExact: options.fusedExact };
  describe(`conformance: ${registration.name}`, () => {
    beforeAll(async () => {
      flint.registerBackend(registration);
      if (reference) {
        flint.registerBackend(reference);
        await flint.startBackend(reference.name);
      }
      await flint.setBackend(registration.name);
    });
    tensorSuite(ctx);
    fixtureSuite(ctx);
    autogradSuite(ctx);
    errorSuite(ctx);
    memorySuite(ctx);
    syncScopesSuite(ctx);
    profilerSuite(ctx);
    transformerModulesSuite(ctx);
    exportsSuite(ctx);
    trainingSuite(ctx);
    nnSuite(ctx);
    optimSuite(ctx);
    dataSuite(ctx);
    ioSuite(ctx);
    fusedSuite(ctx);
    edgeCaseSuite(ctx);
    inplaceAutogradSuite(ctx);
    rearrangingErrorSuite(ctx);
    samplingSuite(ctx);
    indexAsyncSuite(ctx);
    mathSuite(ctx);
    fuzzSuite(ctx);
    accuracySuite(ctx);
    resampleErrorSuite(ctx);
    recurrentSuite(ctx);
    modules2Suite(ctx);
    optim2Suite(ctx);
    nnInitSuite(ctx);
    hooksSuite(ctx);
    lbfgsSuite(ctx);
    atomicitySuite(ctx);
    badOptionsSuite(ctx);
    badSchedulesSuite(ctx);
    parameterVectorSuite(ctx);
    badValuesSuite(ctx);
    badConstructorsSuite(ctx);
    badArgumentsSuite(ctx);
  });
}
