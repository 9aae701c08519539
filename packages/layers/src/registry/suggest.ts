/**
 * The "did you mean" of every registry's unknown-name error: the known name closest to a
 * misspelt one, comparing case-, underscore- and dash-insensitively.
 *
 * ```ts
 * closestName('MeanSquaredErorr', ['mean_squared_error', 'mse']); // 'mean_squared_error'
 * ```
 */

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/**
 * Edit distance counting a swap of two neighbours as one edit, as typing makes them
 * ('nmae' → 'name'); small inputs: registry names and config keys.
 */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      row.push(d);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known name closest to `name`, or undefined when none is close: at most one edit per
 * four characters (and at least one) after normalizing case, `_` and `-`.
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const target = normalize(name);
  const budget = Math.max(1, Math.floor(target.length / 4));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of known) {
    const d = distance(target, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
