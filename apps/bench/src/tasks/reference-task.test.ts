import { describe, expect, it } from 'vitest';
import { QUICK_PEER_EXAMPLES, REFERENCE_TASK, stepsPerEpoch } from './reference-task.js';

describe('REFERENCE_TASK', () => {
  it('is the reference task: MNIST 784-128-10, Adam 1e-3, batch 128, one epoch', () => {
    expect(REFERENCE_TASK).toMatchObject({
      inputSize: 28 * 28,
      hiddenUnits: 128,
      classes: 10,
      learningRate: 1e-3,
      batchSize: 128,
      epochs: 1,
    });
    expect(Object.isFrozen(REFERENCE_TASK)).toBe(true);
    expect(QUICK_PEER_EXAMPLES).toBeLessThan(60_000);
  });

  it('counts steps with a short last batch', () => {
    expect(stepsPerEpoch(60_000, 128)).toBe(469); // 468 full batches and one of 96
    expect(stepsPerEpoch(256, 128)).toBe(2);
    expect(stepsPerEpoch(1, 128)).toBe(1);
  });
});
