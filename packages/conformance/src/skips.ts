/**
 * The reviewed list of fixture cases a backend does not run, each with its reason. A case that a
 * backend cannot run fails unless it is listed here.
 */
export const skips: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'cpu-js': {},
};

export function skipReason(backend: string, caseName: string): string | undefined {
  return skips[backend]?.[caseName];
}
