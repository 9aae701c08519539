import { PARAMETER_ALIGNMENT } from '@tessera/core';
import type { ResidentPlan } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import {
  COUNTED_ROWS,
  MULTIPLY_ADD_COST,
  nonzerosByFeature,
  updateBlockCosts,
} from './update-costs.js';

// Two Dense layers: 4 inputs × 16 units (kernel at 0, bias at 64), then 16 × 2 (kernel at
// 80, bias at 112): 114 trainable floats, 8 blocks of 16.
const plan = {
  ops: [
    { kind: 'dense', kernel: 'k1', bias: 'b1', inputs: 4, units: 16, from: [-1] },
    { kind: 'dense', kernel: 'k2', bias: 'b2', inputs: 16, units: 2, from: [0] },
  ],
} as unknown as ResidentPlan;
const offsets: Record<string, number> = { k1: 0, b1: 64, k2: 80, b2: 112 };
const offsetOf = (name: string) => offsets[name]!;

describe('updateBlockCosts', () => {
  it('charges each weight one update plus a multiply-add per batch row that reaches it', () => {
    const costs = updateBlockCosts({ plan, offsetOf, trainableLength: 114, batchSize: 10 });
    expect(PARAMETER_ALIGNMENT).toBe(16);
    expect(costs).toHaveLength(8);
    const dense = 16 * (1 + MULTIPLY_ADD_COST * 10);
    // Kernel rows 0-3 of layer 1 (a block each), its bias, then layer 2's kernel and bias.
    for (let b = 0; b < 7; b++) expect(costs[b]).toBeCloseTo(dense, 10);
    expect(costs[7]).toBeCloseTo(2 * (1 + MULTIPLY_ADD_COST * 10), 10);
  });

  it('on compressed rows, charges a first-layer weight by how often its feature is nonzero', () => {
    // Feature 0 nonzero in every row, 1 in half, 2 in none, 3 in a quarter (of 8 rows).
    const counts = Uint32Array.of(8, 4, 0, 2);
    const costs = updateBlockCosts({
      plan,
      offsetOf,
      trainableLength: 114,
      batchSize: 10,
      sparse: { nonzerosByFeature: counts, rows: 8 },
    });
    const row = (fraction: number) => 16 * (1 + MULTIPLY_ADD_COST * 10 * fraction);
    expect(costs[0]).toBeCloseTo(row(1), 10);
    expect(costs[1]).toBeCloseTo(row(0.5), 10);
    expect(costs[2]).toBeCloseTo(16, 10);
    expect(costs[3]).toBeCloseTo(row(0.25), 10);
    // The second layer reads dense activations: every row.
    expect(costs[5]).toBeCloseTo(row(1), 10);
  });
});

describe('nonzerosByFeature', () => {
  // Rows: [0, 2], [], [2, 3], [0, 2, 4], [1].
  const index = Uint16Array.of(0, 2, 2, 3, 0, 2, 4, 1);
  const rowPtr = Int32Array.of(0, 2, 2, 4, 7, 8);

  it('counts the column numbers of every row of a compressed matrix within the limit', () => {
    const counted = nonzerosByFeature(index, rowPtr, 5);
    expect(Array.from(counted.nonzerosByFeature)).toEqual([2, 1, 3, 1, 1]);
    expect(counted.rows).toBe(5);
  });

  it('beyond the limit, counts rows spread evenly over the matrix and says how many', () => {
    // 2 of 5 rows: rows 0 and floor(5/2) = 2.
    const counted = nonzerosByFeature(index, rowPtr, 5, 2);
    expect(Array.from(counted.nonzerosByFeature)).toEqual([1, 0, 2, 1, 0]);
    expect(counted.rows).toBe(2);
  });

  it('estimates the fraction of rows with each feature from a sample', () => {
    // 10,000 rows; feature f is nonzero in every (f + 1)-th row.
    const rows = 10_000;
    const cols: number[] = [];
    const ptr = [0];
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < 8; f++) if (r % (f + 1) === 0) cols.push(f);
      ptr.push(cols.length);
    }
    const counted = nonzerosByFeature(Uint16Array.from(cols), Int32Array.from(ptr), 8);
    expect(counted.rows).toBe(COUNTED_ROWS);
    for (let f = 0; f < 8; f++) {
      expect(counted.nonzerosByFeature[f]! / counted.rows).toBeCloseTo(1 / (f + 1), 2);
    }
  });
});
