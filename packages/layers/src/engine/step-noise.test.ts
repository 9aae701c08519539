import { RngStream } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { partOffset, partSize, ROW_CHUNKS, rowChunkCount, StepNoise } from './step-noise.js';

/** n uniform values of a stream, in its order. */
const uniforms = (stream: RngStream, n: number): Float32Array => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = stream.next();
  return out;
};

describe('StepNoise: noise keyed by the step and row chunks of the batch', () => {
  it('cuts a batch into at most 16 chunks whose sizes differ by at most one, larger first', () => {
    expect(ROW_CHUNKS).toBe(16);
    // 21 rows: five chunks of 2, then eleven of 1.
    const sizes = Array.from({ length: rowChunkCount(21) }, (_, c) => partSize(21, 16, c));
    expect(sizes).toEqual([2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from({ length: 16 }, (_, c) => partOffset(21, 16, c)).slice(0, 7)).toEqual([
      0, 2, 4, 6, 8, 10, 11,
    ]);
    // Fewer rows than chunks: one row a chunk.
    expect(rowChunkCount(7)).toBe(7);
    expect(Array.from({ length: 7 }, (_, c) => partSize(7, 7, c))).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it("draws each chunk's rows from the stream dropout/<iteration>/<chunk> of the seed", () => {
    const noise = new StepNoise(42, 3, 21);
    const values = noise.rows(0, 21, 4, uniforms);
    for (let c = 0; c < 16; c++) {
      const from = partOffset(21, 16, c);
      const rows = partSize(21, 16, c);
      const expected = uniforms(RngStream.fromSeed(42, `dropout/3/${c}`), rows * 4);
      expect(Array.from(values.subarray(from * 4, (from + rows) * 4))).toEqual(
        Array.from(expected),
      );
    }
  });

  it('gives every row the same values however the batch is cut into shards', () => {
    const whole = new StepNoise(7, 11, 21).rows(0, 21, 3, uniforms);
    for (const cuts of [
      [0, 21],
      [0, 11, 21],
      [0, 1, 5, 13, 21],
    ]) {
      const parts: number[] = [];
      for (let i = 0; i + 1 < cuts.length; i++) {
        // Each shard is computed with its own StepNoise, as each worker does.
        const shard = new StepNoise(7, 11, 21).rows(cuts[i]!, cuts[i + 1]! - cuts[i]!, 3, uniforms);
        parts.push(...shard);
      }
      expect(parts).toEqual(Array.from(whole));
    }
  });

  it('continues each chunk stream from one draw to the next (layer after layer)', () => {
    const noise = new StepNoise(5, 2, 4);
    const first = noise.rows(0, 4, 2, uniforms);
    const second = noise.rows(0, 4, 3, uniforms);
    // Four rows: four chunks of one row; chunk 1's stream gave 2 values, then 3.
    const stream = RngStream.fromSeed(5, 'dropout/2/1');
    const expected = uniforms(stream, 5);
    expect(Array.from(first.subarray(2, 4))).toEqual(Array.from(expected.subarray(0, 2)));
    expect(Array.from(second.subarray(3, 6))).toEqual(Array.from(expected.subarray(2, 5)));
  });

  it('draws noise without a batch axis from dropout/<iteration>, and differs by step', () => {
    const noise = new StepNoise(9, 4, 10);
    expect(uniforms(noise.shared, 3)).toEqual(uniforms(RngStream.fromSeed(9, 'dropout/4'), 3));
    const a = new StepNoise(9, 4, 10).rows(0, 10, 2, uniforms);
    const b = new StepNoise(9, 5, 10).rows(0, 10, 2, uniforms);
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('rejects an empty batch and rows outside the batch, saying what it received', () => {
    expect(() => new StepNoise(1, 1, 0)).toThrow(
      'StepNoise: the batch must have a positive whole number of rows. Received: total=0',
    );
    const noise = new StepNoise(1, 1, 8);
    expect(() => noise.rows(6, 3, 1, uniforms)).toThrow(
      'StepNoise: rows [offset, offset + rows) must lie in the batch of 8. Received: rows="[6, 9)"',
    );
    expect(noise.rows(3, 0, 1, uniforms)).toHaveLength(0);
  });
});
