/**
 * The reviewed list of fixture cases a backend does not run, each with its reason. A case that a
 * backend cannot run fails unless it is listed here.
 */
/**
 * Ops whose result size depends on the values (bool-mask indexing, nonzero) read them on the host;
 * webgpu cannot read synchronously, so these cases run there through `nonzeroAsync` instead
 * (suites/index-async.ts), where the synchronous call is an error naming that route.
 */
const needsSynchronousRead = Object.fromEntries(
  ['index bool mask full', 'index bool rows', 'index bool rows then number', 'index bool inner mask', 'setIndex mask scalar value', 'maskedSelect broadcast', 'maskedScatter', 'nonzero', 'nonzero int32 3-D', 'argwhere bool']
    .map((name) => [name, 'its result size depends on the values, which webgpu cannot read synchronously; checked through nonzeroAsync in suites/index-async.ts']),
);

export const skips: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'cpu-js': {},
  webgpu: needsSynchronousRead,
  'webgpu-swiftshader': {
    ...needsSynchronousRead,
    ...Object.fromEntries(
      ['exp with subnormal results', 'softplus with subnormal results', 'sigmoid with subnormal results'].map((name) => [
        name,
        'SwiftShader flushes subnormal float32 results of arithmetic to zero, which WGSL permits; these exact results are all below 2^-126 ' +
          '(the same ops with normal results, and subnormal inputs read through their bits, run)',
      ]),
    ),
  },
};

export function skipReason(backend: string, caseName: string): string | undefined {
  return skips[backend]?.[caseName];
}
