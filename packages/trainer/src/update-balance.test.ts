import { describe, expect, it } from 'vitest';
import type { Range } from './sharding.js';
import { BALANCE_CLAMP, BALANCE_RATE, UpdateBalance } from './update-balance.js';

/** A balance over its own buffer: `blockCosts` per 16-float block, `length` floats. */
function balanceOf(blockCosts: number[], length: number, workers: number): UpdateBalance {
  const buffer = new SharedArrayBuffer(8 + UpdateBalance.bytes(workers));
  const balance = new UpdateBalance(
    buffer,
    8,
    workers,
    UpdateBalance.cumulative(blockCosts),
    length,
  );
  balance.reset();
  return balance;
}

function chunks(balance: UpdateBalance): Range[] {
  return Array.from({ length: balance.workers }, (_, i) => {
    const r = { start: 0, end: 0 };
    balance.chunk(i, r);
    return r;
  });
}

/** The cost of each chunk, from the block costs. */
function chunkCosts(balance: UpdateBalance, blockCosts: number[]): number[] {
  return chunks(balance).map((r) => {
    let sum = 0;
    for (let b = r.start / 16; b < Math.ceil(r.end / 16); b++) sum += blockCosts[b]!;
    return sum;
  });
}

/** One step: each worker's chunk takes cost × its ms per unit; worker 0 then rebalances. */
function step(balance: UpdateBalance, blockCosts: number[], msPerCost: number[]): void {
  chunkCosts(balance, blockCosts).forEach((cost, w) => {
    balance.record(w, cost * msPerCost[w]!);
  });
  balance.rebalance();
}

describe('UpdateBalance', () => {
  // 64 blocks: the first half costs 1 a block, the second half 3 (total 128).
  const costs = Array.from({ length: 64 }, (_, b) => (b < 32 ? 1 : 3));

  it('starts with chunks of equal estimated cost on block boundaries, covering every float once', () => {
    const balance = balanceOf(costs, 1020, 2);
    // Half the cost (64) lies between block 42 (62) and 43 (65): the nearer is 43.
    expect(chunks(balance)).toEqual([
      { start: 0, end: 43 * 16 },
      { start: 43 * 16, end: 1020 },
    ]);
    expect(chunkCosts(balance, costs)).toEqual([65, 63]);
  });

  it('gives a worker twice as slow half the cost of the other', () => {
    const balance = balanceOf(costs, 1024, 2);
    for (let s = 0; s < 60; s++) step(balance, costs, [2, 1]);
    const [slow, fast] = chunkCosts(balance, costs);
    // 128 split 1 : 2, to the nearest block (3 units in the costly half).
    expect(Math.abs(slow! - 128 / 3)).toBeLessThanOrEqual(1.5);
    expect(slow! + fast!).toBe(128);
  });

  it('follows a change of speed back', () => {
    const balance = balanceOf(costs, 1024, 2);
    for (let s = 0; s < 60; s++) step(balance, costs, [2, 1]);
    for (let s = 0; s < 60; s++) step(balance, costs, [1, 1]);
    const [a, b] = chunkCosts(balance, costs);
    expect(Math.abs(a! - b!)).toBeLessThanOrEqual(3);
  });

  it('moves little on one step in which a worker stalled', () => {
    const balance = balanceOf(costs, 1024, 2);
    for (let s = 0; s < 20; s++) step(balance, costs, [1, 1]);
    const before = chunkCosts(balance, costs)[0]!;
    // Worker 0 descheduled for a long while: its chunk took 100 times as long.
    step(balance, costs, [100, 1]);
    const after = chunkCosts(balance, costs)[0]!;
    // Its estimate grows by at most BALANCE_RATE of the clamp: its share drops from 1/2 to
    // 1 / (1 + (1 + RATE·(CLAMP − 1))), give or take a block.
    const grown = 1 + BALANCE_RATE * (BALANCE_CLAMP - 1);
    expect(after).toBeLessThan(before);
    expect(Math.abs(after - 128 / (1 + grown))).toBeLessThanOrEqual(3);
  });

  it('keeps the cut until every worker has been measured', () => {
    const balance = balanceOf(costs, 1024, 2);
    const start = chunks(balance);
    balance.record(0, 5);
    balance.rebalance();
    expect(chunks(balance)).toEqual(start);
    // A worker whose chunk another took records nothing; a measurement counts once.
    balance.record(1, 500);
    balance.rebalance();
    expect(chunks(balance)).not.toEqual(start);
    const moved = chunks(balance);
    balance.rebalance();
    expect(chunks(balance)).toEqual(moved);
  });

  it('three workers: shares follow speeds, chunks in order and covering the vector', () => {
    const flat = Array.from({ length: 90 }, () => 1);
    const balance = balanceOf(flat, 90 * 16 - 5, 3);
    expect(chunkCosts(balance, flat)).toEqual([30, 30, 30]);
    for (let s = 0; s < 80; s++) step(balance, flat, [1, 2, 4]);
    // Speeds 1, 1/2, 1/4: shares 4/7, 2/7, 1/7 of 90.
    const got = chunkCosts(balance, flat);
    [(90 * 4) / 7, (90 * 2) / 7, 90 / 7].forEach((want, i) => {
      expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(1);
    });
    const r = chunks(balance);
    expect(r[0]!.start).toBe(0);
    expect(r[2]!.end).toBe(90 * 16 - 5);
    for (let i = 1; i < 3; i++) expect(r[i]!.start).toBe(r[i - 1]!.end);
  });

  it('leaves every worker a block, however slow it was measured', () => {
    // A first measurement is taken as it is: 1,000 times slower would leave no block.
    const few = [1, 1, 1, 1, 1, 1];
    const balance = balanceOf(few, 90, 2);
    balance.record(0, 1);
    balance.record(1, 1000);
    balance.rebalance();
    expect(chunks(balance)).toEqual([
      { start: 0, end: 80 },
      { start: 80, end: 90 },
    ]);
    balance.record(0, 1000 * 5);
    balance.record(1, 1);
    balance.rebalance();
    const [first, second] = chunks(balance);
    expect(first!.end - first!.start).toBeGreaterThanOrEqual(16);
    expect(second!.end).toBe(90);
    // Fewer blocks than workers: the later chunks are empty, the vector still covered once.
    const two = balanceOf([1, 1], 20, 3);
    for (let s = 0; s < 3; s++) step(two, [1, 1], [1, 50, 1]);
    const r = chunks(two);
    expect(r[0]!.start).toBe(0);
    expect(r[2]!.end).toBe(20);
    for (let i = 1; i < 3; i++) expect(r[i]!.start).toBe(r[i - 1]!.end);
  });

  it('one worker: a single chunk, never moved', () => {
    const balance = balanceOf(costs, 1020, 1);
    step(balance, costs, [3]);
    expect(chunks(balance)).toEqual([{ start: 0, end: 1020 }]);
  });

  it('says what it expected when the costs do not match the length', () => {
    expect(() => balanceOf([1, 1], 100, 2)).toThrow(
      'UpdateBalance: expected the cumulative cost of 0 … 7 blocks (8 numbers). Received: 3',
    );
  });
});
