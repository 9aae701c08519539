/**
 * The loss and metric sums of a step's chunks of rows, added up in chunk order: the same
 * bits whichever worker ran which chunk. Used by both resident steppers.
 */

/**
 * values[v] = (Σ over chunks c < count of sums[c · values.length + v]) / n, the chunks in
 * order. Allocates nothing.
 */
export function meanOfChunks(
  sums: Float64Array,
  count: number,
  n: number,
  values: Float64Array,
): void {
  const width = values.length;
  for (let v = 0; v < width; v++) {
    let total = 0;
    for (let c = 0; c < count; c++) total += sums[c * width + v]!;
    values[v] = total / n;
  }
}
