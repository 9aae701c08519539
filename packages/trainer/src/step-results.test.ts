/** The step channel's float64 blocks: each worker's results of each step of a run. */
import { describe, expect, it } from 'vitest';
import { layout } from './step-layout.js';
import { StepResults } from './step-results.js';

function results(workers: number, metrics: number): StepResults {
  const l = layout(workers, metrics);
  return new StepResults(new Float64Array(l.numbers), workers, metrics, l.block);
}

describe('StepResults', () => {
  it('keeps each worker’s block of each step apart and reads it back whole', () => {
    const r = results(2, 2);
    r.writeGradients(0, 0, Float64Array.of(0.5, 0.25, 0.75), 8, 1.5, 3);
    r.writeGradients(0, 1, Float64Array.of(0.125, 1, 2), 7, 2.5, 4);
    r.writeGradients(1, 0, Float64Array.of(9, 9, 9), 8, 0, 0);
    r.writeUpdate(0, 1, 0.25, 0.5);
    expect(r.read(0, 0)).toEqual({
      loss: 0.5,
      examples: 8,
      gradMs: 1.5,
      waitMs: 0,
      updateMs: 0,
      tensors: 3,
      metrics: [0.25, 0.75],
    });
    expect(r.read(0, 1)).toEqual({
      loss: 0.125,
      examples: 7,
      gradMs: 2.5,
      waitMs: 0.25,
      updateMs: 0.5,
      tensors: 4,
      metrics: [1, 2],
    });
    expect(r.read(1, 0).loss).toBe(9);
  });

  it('gives a worker with no examples no loss and no metrics, whatever it computed', () => {
    const r = results(1, 1);
    r.writeGradients(0, 0, Float64Array.of(Number.NaN, Number.POSITIVE_INFINITY), 0, 1, 0);
    expect(r.read(0, 0)).toMatchObject({ loss: 0, examples: 0, metrics: [0] });
    expect(r.lossFinite(0)).toBe(true);
  });

  it('finds a non-finite loss of any worker with examples', () => {
    const r = results(3, 0);
    for (let w = 0; w < 3; w++) r.writeGradients(0, w, Float64Array.of(1), 4, 0, 0);
    expect(r.lossFinite(0)).toBe(true);
    r.writeGradients(0, 2, Float64Array.of(Number.POSITIVE_INFINITY), 4, 0, 0);
    expect(r.lossFinite(0)).toBe(false);
  });

  it('clears the examples of a run’s blocks, and carries the learning rate or its absence', () => {
    const r = results(2, 0);
    r.writeGradients(1, 1, Float64Array.of(1), 5, 0, 0);
    r.clearExamples(2);
    expect(r.read(1, 1).examples).toBe(0);
    r.learningRate = 0.01;
    expect(r.learningRate).toBe(0.01);
    r.learningRate = undefined;
    expect(r.learningRate).toBeUndefined();
  });
});
