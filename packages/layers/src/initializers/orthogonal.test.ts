import { RngStream, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Orthogonal } from './orthogonal.js';

/** W as rows×cols (last axis = columns), from a tensor of any rank >= 2. */
function matrix(t: Tensor): number[][] {
  const cols = t.shape[t.shape.length - 1]!;
  const v = Array.from(t.dataSync());
  const out: number[][] = [];
  for (let i = 0; i < v.length; i += cols) out.push(v.slice(i, i + cols));
  return out;
}

/** max |G - g²·I| where G is WᵀW (tall) or WWᵀ (wide), in float64. */
function gramError(w: number[][], gain: number): number {
  const rows = w.length;
  const cols = w[0]!.length;
  const tall = rows >= cols;
  const n = tall ? cols : rows;
  let err = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      const len = tall ? rows : cols;
      for (let k = 0; k < len; k++) dot += tall ? w[k]![i]! * w[k]![j]! : w[i]![k]! * w[j]![k]!;
      err = Math.max(err, Math.abs(dot - (i === j ? gain * gain : 0)));
    }
  }
  return err;
}

describe('Orthogonal', () => {
  it.each([
    [[6, 4], 1],
    [[4, 4], 1],
    [[3, 8], 1],
    [[2, 3, 4], 1],
    [[64, 32], 2.5],
  ])('shape %j with gain %d gives WᵀW (or WWᵀ) = gain²·I', (shape, gain) => {
    const t = new Orthogonal({ gain }).generate(shape, RngStream.fromSeed(17));
    expect(t.shape).toEqual(shape);
    expect(gramError(matrix(t), gain)).toBeLessThan(1e-5 * gain * gain);
    t.dispose();
  });

  it('is the sign-corrected Q of the normal matrix it draws (Qᵀ·A upper triangular, positive diagonal)', () => {
    const [rows, cols] = [5, 3];
    const a: number[][] = [];
    const s = RngStream.fromSeed(23);
    for (let i = 0; i < rows; i++) a.push(Array.from({ length: cols }, () => s.normal()));
    const w = new Orthogonal().generate([rows, cols], RngStream.fromSeed(23));
    const q = matrix(w);
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < cols; j++) {
        let r = 0;
        for (let k = 0; k < rows; k++) r += q[k]![i]! * a[k]![j]!;
        if (i > j) expect(Math.abs(r)).toBeLessThan(1e-5);
        if (i === j) expect(r).toBeGreaterThan(0);
      }
    }
    w.dispose();
  });

  it('is reproducible with a seed and differs across streams without one', () => {
    const seeded = new Orthogonal({ seed: 4 });
    const a = seeded.generate([4, 3], RngStream.fromSeed(1));
    const b = seeded.generate([4, 3], RngStream.fromSeed(2));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const c = new Orthogonal().generate([4, 3], RngStream.fromSeed(1));
    const d = new Orthogonal().generate([4, 3], RngStream.fromSeed(2));
    expect(Array.from(c.dataSync())).not.toEqual(Array.from(d.dataSync()));
    tf.dispose([a, b, c, d]);
  });

  it('round-trips its config', () => {
    const init = new Orthogonal({ gain: 0.5, seed: 3 });
    expect(init.getConfig()).toEqual({ gain: 0.5, seed: 3 });
    expect(new Orthogonal(JSON.parse(JSON.stringify(init.getConfig()))).getConfig()).toEqual(
      init.getConfig(),
    );
    expect(new Orthogonal().getConfig()).toEqual({ gain: 1, seed: null });
  });

  it('rejects a rank < 2 shape and a non-finite gain', () => {
    expect(() => new Orthogonal().generate([5], RngStream.fromSeed(1))).toThrow(
      'Orthogonal: the shape must have at least 2 dimensions. Received: shape=[5]',
    );
    expect(() => new Orthogonal({ gain: Number.NaN })).toThrow(ValueError);
  });

  it('gives zeros for an empty shape and does not leak tensors', () => {
    const before = tf.memory().numTensors;
    const e = new Orthogonal().generate([0, 3], RngStream.fromSeed(1));
    expect(e.shape).toEqual([0, 3]);
    e.dispose();
    new Orthogonal().generate([8, 5], RngStream.fromSeed(1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
