/** Python's spelling of the values a module repr shows, so flint's reprs read exactly like PyTorch's. */

/** A value as Python's repr() shows it: floats keep a decimal point, booleans and null are capitalised. */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (Array.isArray(value)) return pyTuple(value);
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

/**
 * A float as Python's repr() shows it: the shortest round-trip digits, in exponent form when the
 * decimal point sits more than 4 places left or 16 places right of the first digit.
 * @example pyFloat(1e-5) // '1e-05'; pyFloat(0.1) // '0.1'; pyFloat(2) // '2.0'
 */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (v !== 0 && (e < -4 || e >= 16)) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const fixed = v.toFixed(Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - e));
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** A Python tuple: `(3, 3)`, and `(8,)` for one element; `format` spells each value (py by default). */
export function pyTuple<T>(values: readonly T[], format: (value: T) => string = py): string {
  return values.length === 1 ? `(${format(values[0]!)},)` : `(${values.map((v) => format(v)).join(', ')})`;
}

/** Indents every line but the first by `spaces`, as torch.nn.modules.module._addindent. */
export function addIndent(text: string, spaces: number): string {
  const [first, ...rest] = text.split('\n');
  return [first, ...rest.map((line) => ' '.repeat(spaces) + line)].join('\n');
}
