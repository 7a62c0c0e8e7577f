/** The known name a misspelt one most likely means, for "did you mean" hints. */

/**
 * The optimal string alignment distance: the fewest single-character insertions, deletions,
 * substitutions and swaps of neighbours from `a` to `b` (a swap, `alpah` for `alpha`, is one typo).
 */
function editDistance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const above = rows[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Case and underscores dropped, so that PyTorch's snake_case names meet flint's camelCase ones. */
function normalize(name: string): string {
  return name.toLowerCase().replaceAll('_', '');
}

/**
 * The name among `known` nearest to `name` once case and underscores are ignored: the same name
 * (`weight_decay` finds `weightDecay`), else one that begins with it (an abbreviation of three or more letters, `approx`
 * for `approximate`), else one within a third of its length in edits (at least one); the first
 * listed wins a tie. Undefined when none is that close.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const target = normalize(name);
  const same = known.find((candidate) => normalize(candidate) === target);
  if (same !== undefined) return same;
  const extended = target.length >= 3 ? known.find((candidate) => normalize(candidate).startsWith(target)) : undefined;
  if (extended !== undefined) return extended;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(target.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(target, normalize(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
