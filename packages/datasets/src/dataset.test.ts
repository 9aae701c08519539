import { ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset.js';

/** 3 images of 2×2 uint8 pixels, classes [2, 0, 1]. */
function tinyImages(): Dataset {
  return new Dataset({
    name: 'tiny',
    task: 'classification',
    featureShape: [2, 2],
    features: Uint8Array.from([0, 51, 102, 255, 10, 20, 30, 40, 255, 0, 255, 0]),
    featureScale: 1 / 255,
    targets: Int32Array.from([2, 0, 1]),
    classNames: ['a', 'b', 'c'],
  });
}

/** n rows whose single feature is the row number and whose class is row % classes. */
function numbered(n: number, classes: number, counts?: number[]): Dataset {
  const labels: number[] = [];
  if (counts === undefined) for (let i = 0; i < n; i++) labels.push(i % classes);
  else
    counts.forEach((c, k) => {
      labels.push(...new Array<number>(c).fill(k));
    });
  return new Dataset({
    name: 'numbered',
    task: 'classification',
    featureShape: [1],
    features: Float32Array.from(labels, (_, i) => i),
    targets: Int32Array.from(labels),
    numClasses: classes,
  });
}

function regression(): Dataset {
  return new Dataset({
    name: 'reg',
    task: 'regression',
    featureShape: [2],
    targetShape: [2],
    features: Float32Array.from([1, 2, 3, 4, 5, 6]),
    featureScale: 0.5,
    targets: Float32Array.from([10, 11, 20, 21, 30, 31]),
  });
}

describe('Dataset construction', () => {
  it('derives size and per-example sizes from the buffers', () => {
    const ds = tinyImages();
    expect(ds.size).toBe(3);
    expect(ds.featureShape).toEqual([2, 2]);
    expect(ds.featureSize).toBe(4);
    expect(ds.targetShape).toEqual([]);
    expect(ds.numClasses).toBe(3);
    expect(ds.shared).toBe(false);
    const reg = regression();
    expect(reg.size).toBe(3);
    expect(reg.targetShape).toEqual([2]);
    expect(reg.classNames).toBeUndefined();
    expect(reg.numClasses).toBeUndefined();
  });

  it('names classes 0..k-1 when only numClasses is given', () => {
    expect(numbered(4, 2).classNames).toEqual(['0', '1']);
  });

  it('rejects inconsistent buffers with the received value', () => {
    const base = {
      name: 'bad',
      task: 'classification' as const,
      featureShape: [2],
      features: new Float32Array(5),
      targets: new Int32Array(3),
      numClasses: 2,
    };
    expect(() => new Dataset(base)).toThrow(ShapeError);
    expect(() => new Dataset(base)).toThrow('Received: features.length=5');
    expect(
      () =>
        new Dataset({
          ...base,
          features: new Float32Array(6),
          targets: Int32Array.from([0, 2, 1]),
        }),
    ).toThrow('row 1 holds 2. Received: targets[1]=2');
    expect(
      () => new Dataset({ ...base, features: new Float32Array(6), targets: new Float32Array(3) }),
    ).toThrow('classification targets must be a Int32Array');
    expect(
      () => new Dataset({ ...base, features: new Float32Array(6), featureShape: [0] }),
    ).toThrow('featureShape must be a list of positive integers');
    expect(
      () => new Dataset({ ...base, features: new Float32Array(6), classNames: ['x', 'x'] }),
    ).toThrow('2 distinct names');
    expect(
      () =>
        new Dataset({
          ...base,
          task: 'regression',
          features: new Float32Array(6),
          targets: new Float32Array(3),
        }),
    ).toThrow('regression data has no classes');
  });
});

describe('Dataset.gatherFeatures / gatherTargets', () => {
  it('gathers scaled uint8 rows in index order', () => {
    const xs = tinyImages().gatherFeatures([2, 0, 1], 0, 2);
    const expected = [255, 0, 255, 0, 0, 51, 102, 255].map((v) => v / 255);
    expect(xs.length).toBe(8);
    expected.forEach((v, i) => {
      expect(xs[i]).toBeCloseTo(v, 6);
    });
    expect(xs[0]).toBe(1);
  });

  it('gathers byte rows four at a time or one at a time with the same bits: v·scale in float32', () => {
    const bytes = Uint8Array.from({ length: 1 + 6 * 12 }, (_, i) => (i * 97 + 13) % 256);
    const scale = 1 / 255;
    const make = (features: Uint8Array, featureShape: number[]) =>
      new Dataset({
        name: 'bytes',
        task: 'classification',
        featureShape,
        features,
        featureScale: scale,
        targets: new Int32Array(features.length / featureShape.reduce((a, b) => a * b, 1)),
        classNames: ['a'],
      });
    const cases = [
      // Whole 32-bit words per row.
      { data: make(bytes.subarray(0, 72), [3, 4]), source: bytes.subarray(0, 72), d: 12 },
      // Rows of 12 bytes starting one byte into the buffer: not word-aligned.
      { data: make(bytes.subarray(1, 73), [12]), source: bytes.subarray(1, 73), d: 12 },
      // Rows of 9 bytes.
      { data: make(bytes.subarray(0, 72), [9]), source: bytes.subarray(0, 72), d: 9 },
    ];
    for (const { data, source, d } of cases) {
      const order = [4, 0, 3, 1];
      const xs = data.gatherFeatures(order, 0, 4);
      const expected = order.flatMap((row) =>
        Array.from(source.subarray(row * d, (row + 1) * d), (v) => Math.fround(v * scale)),
      );
      expect(Array.from(xs)).toEqual(expected);
    }
  });

  it('gathers float rows with and without a scale, into a caller buffer', () => {
    const reg = regression();
    const out = new Float32Array(10).fill(-1);
    const xs = reg.gatherFeatures(Int32Array.from([9, 1, 0]), 1, 3, out);
    expect(Array.from(xs)).toEqual([1.5, 2, 0.5, 1]);
    expect(xs.buffer).toBe(out.buffer);
    expect(out[4]).toBe(-1);
    const plain = new Dataset({
      name: 'plain',
      task: 'regression',
      featureShape: [2],
      features: Float32Array.from([1, 2, 3, 4]),
      targets: Float32Array.from([0, 0]),
    });
    expect(Array.from(plain.gatherFeatures([1], 0, 1))).toEqual([3, 4]);
  });

  it('gathers class ids, one-hot rows and regression rows', () => {
    const ds = tinyImages();
    expect(Array.from(ds.gatherTargets([1, 0, 2], 0, 3))).toEqual([0, 2, 1]);
    expect(Array.from(ds.gatherTargets([1, 0], 0, 2, { oneHot: true }))).toEqual([
      1, 0, 0, 0, 0, 1,
    ]);
    const reused = new Float32Array(6).fill(7);
    ds.gatherTargets([2, 2], 0, 2, { oneHot: true }, reused);
    expect(Array.from(reused)).toEqual([0, 1, 0, 0, 1, 0]);
    expect(Array.from(regression().gatherTargets([2, 0], 0, 2))).toEqual([30, 31, 10, 11]);
  });

  it('names the bad index or range', () => {
    const ds = tinyImages();
    expect(() => ds.gatherFeatures([0, 3], 0, 2)).toThrow('Received: indices[1]=3');
    expect(() => ds.gatherFeatures([0, 1.5], 0, 2)).toThrow('Received: indices[1]=1.5');
    expect(() => ds.gatherTargets([0], 1, 0)).toThrow('Received: range=[1,0]');
    expect(() => regression().toTensors({ oneHot: true })).toThrow('classification data only');
    expect(() => ds.gatherFeatures([0, 1], 0, 2, new Float32Array(7))).toThrow(
      'at least 8 values. Received: out.length=7',
    );
  });
});

describe('Dataset.toTensors', () => {
  it('builds x [n, ...featureShape] and y in the requested form without leaking', () => {
    const before = tf.memory().numTensors;
    const ds = tinyImages();
    const { x, y } = ds.toTensors({ oneHot: true });
    expect(x.shape).toEqual([3, 2, 2]);
    expect(y.shape).toEqual([3, 3]);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(x.dataSync()[3]).toBe(1);
    const ids = ds.toTensors();
    expect(ids.y.shape).toEqual([3]);
    const reg = regression().toTensors();
    expect(reg.y.shape).toEqual([3, 2]);
    tf.dispose([x, y, ids.x, ids.y, reg.x, reg.y]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Dataset.shuffle / split / take / select', () => {
  it('shuffles rows together with their targets, reproducibly by seed', () => {
    const ds = numbered(50, 5);
    const a = ds.shuffle(7);
    const b = ds.shuffle(7);
    const c = ds.shuffle(8);
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.features)).not.toEqual(Array.from(c.features));
    expect(Array.from(a.features)).not.toEqual(Array.from(ds.features));
    expect([...a.features].sort((p, q) => p - q)).toEqual([...ds.features]);
    for (let i = 0; i < a.size; i++) expect(a.targets[i]).toBe(a.features[i]! % 5);
  });

  it('splits into disjoint parts covering every row, round(size * fraction) first', () => {
    const ds = numbered(101, 2);
    const [first, second] = ds.split(0.7, { seed: 3, stratify: false });
    expect(first.size).toBe(71);
    expect(second.size).toBe(30);
    const all = [...first.features, ...second.features].sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
  });

  it('stratifies by class: each class keeps its share to within one row', () => {
    const ds = numbered(100, 3, [50, 30, 20]);
    const [train, test] = ds.split(0.8, { seed: 1 });
    const count = (d: Dataset, k: number) => d.targets.filter((t) => t === k).length;
    expect([0, 1, 2].map((k) => count(train, k))).toEqual([40, 24, 16]);
    expect([0, 1, 2].map((k) => count(test, k))).toEqual([10, 6, 4]);
    // 3 classes of 3 at 0.5: 5 rows first; floors 1,1,1, equal remainders go to lower ids.
    const [half] = numbered(9, 3, [3, 3, 3]).split(0.5);
    expect([0, 1, 2].map((k) => count(half, k))).toEqual([2, 2, 1]);
  });

  it('is reproducible by seed and keeps row order without one', () => {
    const ds = numbered(40, 4);
    const [a] = ds.split(0.5, { seed: 11 });
    const [b] = ds.split(0.5, { seed: 11 });
    const [c] = ds.split(0.5, { seed: 12 });
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(Array.from(a.features)).not.toEqual(Array.from(c.features));
    const [ordered, rest] = ds.split(0.25);
    expect(Array.from(ordered.features)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rest.features[0]).toBe(10);
    const [plain] = regression().split(2 / 3);
    expect(Array.from(plain.targets)).toEqual([10, 11, 20, 21]);
  });

  it('rejects bad fractions, empty parts and stratified regression', () => {
    const ds = numbered(10, 2);
    expect(() => ds.split(1)).toThrow('Received: fraction=1');
    expect(() => ds.split(0.01)).toThrow('leaves an empty part');
    expect(() => regression().split(0.5, { stratify: true })).toThrow(ValueError);
  });

  it('takes the first rows as views over the same memory', () => {
    const ds = tinyImages().share();
    const two = ds.take(2);
    expect(two.size).toBe(2);
    expect(two.features.buffer).toBe(ds.features.buffer);
    expect(two.shared).toBe(true);
    expect(Array.from(two.targets)).toEqual([2, 0]);
    expect(() => ds.take(4)).toThrow('Received: n=4');
  });

  it('keeps subsets of a shared dataset shared', () => {
    const shared = numbered(20, 2).share();
    const [a, b] = shared.split(0.5, { seed: 1 });
    expect(a.shared && b.shared && shared.shuffle(1).shared).toBe(true);
  });
});

describe('Dataset.share / describe / attach', () => {
  it('copies into SharedArrayBuffers once; sharing again is a no-op', () => {
    const ds = tinyImages();
    const shared = ds.share();
    expect(shared).not.toBe(ds);
    expect(shared.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.targets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.features)).toEqual(Array.from(ds.features));
    expect(shared.share()).toBe(shared);
  });

  it('attaches N times to the same memory without allocating', () => {
    const ds = regression().share();
    const description = ds.describe();
    const attached = Array.from({ length: 5 }, () => Dataset.attach(description));
    for (const view of attached) {
      expect(view.features.buffer).toBe(ds.features.buffer);
      expect(view.targets.buffer).toBe(ds.targets.buffer);
      expect(view.featureScale).toBe(0.5);
      expect(view.targetShape).toEqual([2]);
    }
    attached[3]!.features[1] = 99;
    expect(ds.features[1]).toBe(99);
    expect(attached[0]!.gatherFeatures([0], 0, 1)[1]).toBe(49.5);
  });

  it('attaches views with an offset (from take on a subarray) and keeps metadata', () => {
    const ds = tinyImages().share();
    const view = ds.take(1);
    const again = Dataset.attach(structuredClone(view.describe()));
    expect(again.size).toBe(1);
    expect(again.classNames).toEqual(['a', 'b', 'c']);
    expect(Array.from(again.targets)).toEqual([2]);
  });

  it('rejects descriptions that are not from describe()', () => {
    const good = tinyImages().share().describe();
    expect(() => Dataset.attach({ ...good, format: 'x' } as never)).toThrow(
      "format 'tessera-dataset'",
    );
    expect(() => Dataset.attach({ ...good, features: { ...good.features, length: 100 } })).toThrow(
      'Received: length=100',
    );
    expect(() =>
      Dataset.attach({ ...good, features: { ...good.features, buffer: {} as SharedArrayBuffer } }),
    ).toThrow('buffer must be a SharedArrayBuffer or ArrayBuffer');
  });
});
