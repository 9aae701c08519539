import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadMnist } from './mnist.js';

const fixture = fileURLToPath(new URL('../test/fixtures/attach-worker.mjs', import.meta.url));

interface FirstReport {
  size: number;
  featureShape: number[];
  shared: boolean;
  featureSum: number;
  targetSum: number;
  sameMemory: boolean;
  firstRowMax: number;
}

function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('a shared dataset in a worker thread', () => {
  it('is attached to the same memory: writes on either side are seen by the other', async () => {
    const test = loadMnist({ split: 'test' }).share();
    let featureSum = 0;
    for (let i = 0; i < test.features.length; i++) featureSum += test.features[i]!;
    let targetSum = 0;
    for (let i = 0; i < test.targets.length; i++) targetSum += test.targets[i]!;
    const lastTarget = test.targets[test.size - 1];
    expect(lastTarget).not.toBe(3); // so the worker's marker is a real change

    const worker = new Worker(fixture, { workerData: test.describe() });
    try {
      const first = await nextMessage<FirstReport>(worker);
      expect(first.size).toBe(10000);
      expect(first.featureShape).toEqual([28, 28]);
      expect(first.shared).toBe(true);
      expect(first.sameMemory).toBe(true);
      expect(first.featureSum).toBe(featureSum);
      expect(first.targetSum).toBe(targetSum);
      expect(first.firstRowMax).toBe(1);
      // Written by the worker through its views; no message carried them.
      expect(test.features[1]).toBe(201);
      expect(test.targets[test.size - 1]).toBe(3);

      test.features[2] = 123;
      worker.postMessage('look');
      const second = await nextMessage<{ seenMainWrite: number }>(worker);
      expect(second.seenMainWrite).toBe(123);
    } finally {
      await worker.terminate();
    }
  });
});
