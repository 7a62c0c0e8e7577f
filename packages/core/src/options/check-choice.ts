/** Enum-valued options: a value outside the listed choices is an error that lists them. */

/**
 * Throws a RangeError naming `op` and listing `choices` unless `value` is one of them. The problem
 * is said in PyTorch's words for the option when given as `problem` (`mode is invalid and scaleFn
 * is None`), else in those of its reduction check (`fast is not a valid value for approximate`):
 * `gelu(): fast is not a valid value for approximate; expected one of 'none', 'tanh'`.
 */
export function checkChoice<C extends string>(op: string, name: string, value: unknown, choices: readonly C[], problem?: string): asserts value is C {
  if ((choices as readonly unknown[]).includes(value)) return;
  const listed = choices.map((c) => `'${c}'`).join(', ');
  throw new RangeError(`${op}(): ${problem ?? `${String(value)} is not a valid value for ${name}`}; expected one of ${listed}`);
}
