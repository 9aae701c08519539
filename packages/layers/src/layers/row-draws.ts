/**
 * Random draws that do not depend on how a batch is cut. In data-parallel training a call
 * sees one shard of the global batch (`CallContext.rows`); a layer that draws noise for its
 * input draws it for the whole batch and keeps its shard's rows, so a row gets the same
 * noise whichever worker computes it, and 1, 2 or 4 workers train the same weights.
 */
import type { CallContext } from '../engine/call-context.js';

/**
 * Values for a tensor of `shape` (batch axis first) from `draw(n)`, which gives n values in
 * its stream's order. `perRow`: the batch axis is the input's (else it is shared, size 1,
 * and every shard draws the same values).
 */
export function drawByRows(
  shape: readonly number[],
  perRow: boolean,
  context: CallContext,
  draw: (n: number) => Float32Array,
): Float32Array {
  const size = shape.reduce((n, d) => n * d, 1);
  const rows = context.rows;
  if (!perRow || rows === undefined || shape.length === 0) return draw(size);
  const perRowValues = shape[0] === 0 ? 0 : size / shape[0]!;
  const all = draw(rows.total * perRowValues);
  return all.subarray(rows.offset * perRowValues, (rows.offset + shape[0]!) * perRowValues);
}
