/** The known name a misspelt one most likely means, for "did you mean" hints. */

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Case and underscores dropped, so that PyTorch's snake_case names meet flint's camelCase ones. */
function normalize(name: string): string {
  return name.toLowerCase().replaceAll('_', '');
}

/**
 * The name among `known` nearest to `name` once case and underscores are ignored (`weight_decay`
 * finds `weightDecay`), if it is within a third of the name's length (at least one edit); the first
 * listed wins a tie. Undefined when none is that close.
 */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const target = normalize(name);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(target.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(target, normalize(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}
