/**
 * Random draws that do not depend on how a batch is cut. In data-parallel training a call
 * sees one shard of the global batch (`CallContext.rows`); the resident step computes the
 * batch chunk by chunk. Inside a training step the draws come from the step's noise
 * (`CallContext.noise`, engine/step-noise.ts), keyed by row chunks of the batch, so a row
 * gets the same noise on one thread, on any number of workers and on either training
 * path. A layer seeded by its own `seed`, or a call without step noise, draws the whole
 * batch from one stream and keeps its shard's rows.
 */
import type { RngStream } from '@tessera/core';
import type { CallContext } from '../engine/call-context.js';
import { globalStream } from '../engine/seed.js';

/**
 * Values for a tensor of `shape` (batch axis first). `own`: the layer's own seeded stream,
 * if any. `draw(stream, n)` gives n values in `stream`'s order. `perRow`: the batch axis
 * is the input's (else it is shared, size 1, and every shard draws the same values).
 */
export function drawByRows(
  shape: readonly number[],
  perRow: boolean,
  context: CallContext,
  own: RngStream | undefined,
  draw: (stream: RngStream, n: number) => Float32Array,
): Float32Array {
  const size = shape.reduce((n, d) => n * d, 1);
  const byRows = perRow && shape.length > 0;
  const perRowValues = byRows && shape[0]! > 0 ? size / shape[0]! : 0;
  const noise = own === undefined ? context.noise : undefined;
  if (noise !== undefined) {
    if (!byRows) return draw(noise.shared, size);
    return noise.rows(context.rows?.offset ?? 0, shape[0]!, perRowValues, draw);
  }
  const stream = own ?? context.rng ?? globalStream('dropout');
  const rows = context.rows;
  if (!byRows || rows === undefined) return draw(stream, size);
  const all = draw(stream, rows.total * perRowValues);
  return all.subarray(rows.offset * perRowValues, (rows.offset + shape[0]!) * perRowValues);
}
