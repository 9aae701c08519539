import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { NotFoundError, ShapeError, ValueError } from './errors.js';
import { PARAMETER_ALIGNMENT, ParameterStore, planLayout } from './parameter-store.js';
import { tf } from './tf.js';

const specs = [
  { name: 'dense/kernel', shape: [3, 2] },
  { name: 'dense/bias', shape: [2] },
  { name: 'out/kernel', shape: [2, 17] },
];

describe('planLayout', () => {
  it('places entries in order on aligned offsets', () => {
    const { entries, length } = planLayout(specs);
    expect(entries.map((e) => [e.offset, e.size])).toEqual([
      [0, 6],
      [16, 2],
      [32, 34],
    ]);
    expect(length).toBe(32 + 48);
    for (const e of entries) expect(e.offset % PARAMETER_ALIGNMENT).toBe(0);
  });

  it('rejects duplicate names and bad shapes', () => {
    expect(() => planLayout([specs[0]!, specs[0]!])).toThrow(ValueError);
    expect(() => planLayout([{ name: 'w', shape: [2, -1] }])).toThrow(ShapeError);
    expect(() => planLayout([{ name: '', shape: [1] }])).toThrow('non-empty name');
  });
});

describe('ParameterStore', () => {
  it('hands out tensors that see later writes to the view (zero copy)', () => {
    const store = ParameterStore.create(specs);
    expect(store.buffer).toBeInstanceOf(SharedArrayBuffer);
    const t = store.tensor('dense/kernel');
    store.view('dense/kernel').set([1, 2, 3, 4, 5, 6]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.shape).toEqual([3, 2]);
    const y = tf.matMul(tf.ones([1, 3]), t);
    expect(Array.from(y.dataSync())).toEqual([9, 12]);
    store.view('dense/kernel')[0] = 10;
    const y2 = tf.matMul(tf.ones([1, 3]), t);
    expect(Array.from(y2.dataSync())).toEqual([18, 12]);
    tf.dispose([t, y, y2]);
  });

  it('keeps parameters apart in one buffer', () => {
    const store = ParameterStore.create(specs);
    store.set('dense/bias', [7, 8]);
    expect(Array.from(store.view('dense/kernel'))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(store.data[16]).toBe(7);
    expect(store.data[17]).toBe(8);
  });

  it('snapshots and restores values', () => {
    const store = ParameterStore.create(specs, { shared: false });
    expect(store.buffer).toBeInstanceOf(ArrayBuffer);
    store.set(
      'out/kernel',
      Array.from({ length: 34 }, (_, i) => i),
    );
    const snap = store.snapshot();
    store.view('out/kernel').fill(0);
    store.restore(snap);
    expect(store.view('out/kernel')[33]).toBe(33);
    expect(snap['out/kernel']!.buffer).not.toBe(store.buffer);
  });

  it('gives clear errors for unknown names and wrong sizes', () => {
    const store = ParameterStore.create(specs);
    expect(() => store.view('nope')).toThrow(NotFoundError);
    expect(() => store.view('nope')).toThrow('Known: dense/kernel, dense/bias, out/kernel');
    expect(() => store.set('dense/bias', [1, 2, 3])).toThrow('Received: length=3');
    expect(() =>
      ParameterStore.attach({ ...store.describe(), buffer: new SharedArrayBuffer(8) }),
    ).toThrow('at least 320 bytes');
  });

  it('re-attaches in a real worker thread to the same memory', async () => {
    const store = ParameterStore.create(specs);
    store.set('dense/kernel', [1, 2, 3, 4, 5, 6]);
    const worker = new Worker(
      fileURLToPath(new URL('../test/fixtures/store-worker.mjs', import.meta.url)),
      {
        workerData: store.describe(),
      },
    );
    try {
      const first = await new Promise<{ seen: number[] }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(first.seen).toEqual([1, 2, 3, 4, 5, 6]);
      // The worker's write is visible here without any message carrying it.
      expect(store.view('dense/bias')[1]).toBe(42.5);
      store.view('dense/kernel').fill(10);
      const second = await new Promise<{ sumAfterMainWrite: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage('go');
      });
      expect(second.sumAfterMainWrite).toBe(60);
    } finally {
      await worker.terminate();
    }
  });
});
