/**
 * The reviewed list of fixture cases a backend does not run, each with its reason. A case that a
 * backend cannot run fails unless it is listed here.
 */
export const skips: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'cpu-js': {},
  webgpu: {},
  'webgpu-swiftshader': Object.fromEntries(
    ['exp with subnormal results', 'softplus with subnormal results', 'sigmoid with subnormal results'].map((name) => [
      name,
      'SwiftShader flushes subnormal float32 results of arithmetic to zero, which WGSL permits; these exact results are all below 2^-126 ' +
        '(the same ops with normal results, and subnormal inputs read through their bits, run)',
    ]),
  ),
};

export function skipReason(backend: string, caseName: string): string | undefined {
  return skips[backend]?.[caseName];
}
