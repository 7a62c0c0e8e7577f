/** Per-group scheduler options given as one value for every group or one per group. */

/** `value` repeated for each of `groups` groups, or `value` itself when it lists one per group. */
export function perGroup(scheduler: string, name: string, value: number | readonly number[], groups: number): readonly number[] {
  if (typeof value === 'number') return Array.from({ length: groups }, () => value);
  if (value.length !== groups) throw new RangeError(`${scheduler}(): expected ${groups} values for ${name}, got ${value.length}`);
  return [...value];
}
