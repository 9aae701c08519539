import { describe, expect, it } from 'vitest';
import { MNIST_SIDE, type Point, strokesToMnist } from './mnist-preprocess.js';

/** Ink bounding box, centre of mass and the widest run of ink across a row. */
function measure(image: Float32Array) {
  let mass = 0;
  let cx = 0;
  let cy = 0;
  let [minX, minY, maxX, maxY] = [MNIST_SIDE, MNIST_SIDE, -1, -1];
  for (let r = 0; r < MNIST_SIDE; r++) {
    for (let c = 0; c < MNIST_SIDE; c++) {
      const v = image[r * MNIST_SIDE + c]!;
      if (v === 0) continue;
      mass += v;
      cx += v * (c + 0.5);
      cy += v * (r + 0.5);
      [minX, minY, maxX, maxY] = [
        Math.min(minX, c),
        Math.min(minY, r),
        Math.max(maxX, c),
        Math.max(maxY, r),
      ];
    }
  }
  return { com: { x: cx / mass, y: cy / mass }, width: maxX - minX + 1, height: maxY - minY + 1 };
}

const vertical = (x: number, y0: number, y1: number): Point[] =>
  Array.from({ length: 11 }, (_, i) => ({ x, y: y0 + ((y1 - y0) * i) / 10 }));

describe('strokesToMnist', () => {
  it('is undefined for an empty drawing', () => {
    expect(strokesToMnist([])).toBeUndefined();
  });

  it('fits the digit into the 20×20 box with its centre of mass at the image centre', () => {
    // An "L" drawn small in a corner of a big canvas.
    const image = strokesToMnist([[...vertical(10, 10, 40), { x: 30, y: 40 }]])!;
    expect(image).toHaveLength(784);
    const m = measure(image);
    expect(Math.max(m.width, m.height)).toBeLessThanOrEqual(21);
    expect(Math.max(m.width, m.height)).toBeGreaterThanOrEqual(18);
    expect(m.com.x).toBeCloseTo(14, 0);
    expect(m.com.y).toBeCloseTo(14, 0);
    expect(Math.max(...image)).toBe(255);
    expect(Math.min(...image)).toBe(0);
  });

  it('gives the same image whatever the size and place of the drawing', () => {
    const small = strokesToMnist([vertical(20, 20, 60)])!;
    const large = strokesToMnist([vertical(500, 100, 900)])!;
    expect(Array.from(large)).toEqual(Array.from(small));
  });

  it('draws strokes 2–3 pixels wide, as MNIST has them', () => {
    const image = strokesToMnist([vertical(0, 0, 100)])!;
    const row = Array.from(image.subarray(14 * MNIST_SIDE, 15 * MNIST_SIDE));
    const ink = row.reduce((a, v) => a + v / 255, 0);
    expect(ink).toBeGreaterThan(2);
    expect(ink).toBeLessThan(3);
  });
});
