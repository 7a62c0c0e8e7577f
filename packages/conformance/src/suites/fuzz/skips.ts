/**
 * The reviewed list of fuzz failure groups that are genuine differences, not defects, each with
 * its reason. A group is `<kind> <op>[ <what>]` as the fuzzer prints it ('forward matmul
 * accumulation-overflow'); a pattern applies to the backends listed, or to all when none are.
 * Every other divergence fails the run.
 */
interface Skip {
  readonly pattern: RegExp;
  readonly backends?: readonly string[];
  readonly reason: string;
}

export const fuzzSkips: readonly Skip[] = [
  {
    pattern: / accumulation-overflow$/,
    reason:
      'The terms an op sums exceed the float32 range, so whether a partial sum overflows to Inf (or Inf - Inf to NaN) depends on the ' +
      'summation order and accumulator width: cpu-js sums matmul in float64, the others in float32, and the host in float64 ' +
      '(`[3e38, 3e38, -3e38] @ [1, 1, 1]`). Only cases whose term magnitudes reach float32 max are grouped so.',
  },
  {
    pattern: / subnormal$/,
    backends: ['webgpu-swiftshader'],
    reason:
      'SwiftShader flushes subnormal float32 operands and results of every arithmetic instruction to zero, which WGSL permits ' +
      '(`sign(1e-40)` is 0, `minimum(x, 1e-38)` is 0, `2.74 / 1e-38` is Inf, `Inf * 1e-40` is NaN); a shader cannot see a ' +
      'subnormal to correct it. A case is grouped so only when cpu-js, run with the subnormal inputs and arguments flushed and ' +
      'its results flushed, agrees with the backend (flush.ts); on lavapipe, which keeps subnormals, such groups are defects.',
  },
];

export function fuzzSkipReason(backend: string, group: string): string | undefined {
  return fuzzSkips.find((s) => s.pattern.test(group) && (!s.backends || s.backends.includes(backend)))?.reason;
}
