import { describe, expect, it } from 'vitest';
import { ValueError } from './errors.js';
import { Rng, RngStream } from './rng.js';

function draw(s: RngStream, n: number): number[] {
  return Array.from({ length: n }, () => s.nextUint32());
}

describe('RngStream', () => {
  it('gives the same stream for the same seed and name', () => {
    expect(draw(RngStream.fromSeed(7, 'a'), 50)).toEqual(draw(RngStream.fromSeed(7, 'a'), 50));
  });

  it('gives different streams for different seeds or names', () => {
    const base = draw(RngStream.fromSeed(7, 'a'), 20);
    expect(draw(RngStream.fromSeed(8, 'a'), 20)).not.toEqual(base);
    expect(draw(RngStream.fromSeed(7, 'b'), 20)).not.toEqual(base);
  });

  it('matches the xoshiro128** recurrence computed independently', () => {
    // Reference: the published algorithm, written here with BigInt arithmetic mod 2^32.
    const m = (x: bigint) => x & 0xffffffffn;
    const rotl = (x: bigint, k: bigint) => m((x << k) | (x >> (32n - k)));
    let [a, b, c, d] = [1n, 2n, 3n, 4n];
    const expected: number[] = [];
    for (let i = 0; i < 10; i++) {
      expected.push(Number(m(rotl(m(b * 5n), 7n) * 9n)));
      const t = m(b << 9n);
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11n);
    }
    expect(draw(new RngStream([1, 2, 3, 4]), 10)).toEqual(expected);
  });

  it('continues identically after a state restore', () => {
    const s = RngStream.fromSeed(123, 'x');
    draw(s, 17);
    const saved = s.getState();
    const after = draw(s, 30);
    const t = new RngStream(saved);
    expect(draw(t, 30)).toEqual(after);
  });

  it('draws uniform doubles in [0, 1) with the right mean', () => {
    const s = RngStream.fromSeed(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = s.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 1);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const s = RngStream.fromSeed(2);
    const n = 40000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = s.normal();
      sum += z;
      sq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.04);
  });

  it('makes permutations of 0..n-1 and unbiased ints', () => {
    const p = RngStream.fromSeed(3).permutation(100);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...p]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const counts = [0, 0, 0];
    const s = RngStream.fromSeed(4);
    for (let i = 0; i < 30000; i++) counts[s.int(3)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500);
  });

  it('rejects bad seeds, bounds and states', () => {
    expect(() => RngStream.fromSeed(-1)).toThrow(ValueError);
    expect(() => RngStream.fromSeed(1.5)).toThrow('Received: seed=1.5');
    expect(() => RngStream.fromSeed(1).int(0)).toThrow('Received: n=0');
    expect(() => new RngStream([0, 0, 0, 0])).toThrow('all zeros');
  });
});

describe('Rng', () => {
  it('keeps named streams independent of the order they are used in', () => {
    const a = new Rng(9);
    const b = new Rng(9);
    const initA = draw(a.stream('init'), 5);
    draw(b.stream('shuffle'), 1000);
    expect(draw(b.stream('init'), 5)).toEqual(initA);
  });

  it('saves and restores every stream exactly', () => {
    const rng = new Rng(42);
    draw(rng.stream('init'), 3);
    draw(rng.stream('dropout'), 11);
    const saved = structuredClone(rng.getState());
    const expected = [
      draw(rng.stream('init'), 8),
      draw(rng.stream('dropout'), 8),
      draw(rng.stream('new'), 8),
    ];
    const restored = Rng.fromState(saved);
    expect([
      draw(restored.stream('init'), 8),
      draw(restored.stream('dropout'), 8),
      draw(restored.stream('new'), 8),
    ]).toEqual(expected);
  });

  it('refuses a state saved from another seed', () => {
    const saved = new Rng(1).getState();
    expect(() => new Rng(2).setState(saved)).toThrow('Received: seed=1');
  });
});
