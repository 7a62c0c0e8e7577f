/**
 * The reviewed list of fuzz failure groups a backend may show, each with the reason the difference
 * is genuine (not a defect). A group is `<kind> <op>` as the fuzzer prints it, e.g.
 * 'forward matmul'. Empty: every divergence found so far is a defect to fix.
 */
export const fuzzSkips: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

export function fuzzSkipReason(backend: string, group: string): string | undefined {
  return fuzzSkips[backend]?.[group];
}
