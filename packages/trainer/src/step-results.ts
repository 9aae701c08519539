/**
 * The float64 part of the step channel's control buffer (step-layout.ts): the run's
 * learning rate, then one block of results per step of a run and per worker — its loss,
 * examples, phase times, live tensors and metric values. A worker writes only its own
 * blocks; the main thread reads a step's blocks once the step is counted done.
 */

import { Result, type WorkerResult } from './step-layout.js';

export class StepResults {
  constructor(
    private readonly numbers: Float64Array,
    private readonly workers: number,
    private readonly metrics: number,
    private readonly block: number,
  ) {}

  private base(step: number, worker: number): number {
    return 1 + (step * this.workers + worker) * this.block;
  }

  /** The run's learning rate (undefined: the optimizer's own). */
  get learningRate(): number | undefined {
    const rate = this.numbers[0]!;
    return Number.isNaN(rate) ? undefined : rate;
  }

  set learningRate(rate: number | undefined) {
    this.numbers[0] = rate ?? Number.NaN;
  }

  /**
   * Main thread, before a run of `steps` steps: every block counts no examples. A worker
   * left behind writes its results of a step after the others read them (the loss guard
   * reads every worker's block): until then its block must not count an earlier run's.
   */
  clearExamples(steps: number): void {
    for (let j = 0; j < steps; j++) {
      for (let i = 0; i < this.workers; i++) {
        this.numbers[this.base(j, i) + Result.EXAMPLES] = 0;
      }
    }
  }

  /**
   * Worker `worker`'s gradient results of step `step`: `values` holds the loss, then each
   * metric. Allocates nothing (called every step).
   */
  writeGradients(
    step: number,
    worker: number,
    values: Float64Array,
    examples: number,
    gradMs: number,
    tensors: number,
  ): void {
    const n = this.numbers;
    const base = this.base(step, worker);
    // A worker that reports no examples weighs nothing, whatever its values hold.
    n[base + Result.LOSS] = examples === 0 ? 0 : values[0]!;
    n[base + Result.EXAMPLES] = examples;
    n[base + Result.GRAD_MS] = gradMs;
    n[base + Result.TENSORS] = tensors;
    for (let m = 0; m < this.metrics; m++) {
      n[base + Result.METRICS + m] = examples === 0 ? 0 : (values[1 + m] ?? Number.NaN);
    }
  }

  /** Worker `worker`'s update times of step `step`. */
  writeUpdate(step: number, worker: number, waitMs: number, updateMs: number): void {
    const base = this.base(step, worker);
    this.numbers[base + Result.WAIT_MS] = waitMs;
    this.numbers[base + Result.UPDATE_MS] = updateMs;
  }

  /** Worker `worker`'s results of step `step` of the last run. */
  read(step: number, worker: number): WorkerResult {
    const n = this.numbers;
    const base = this.base(step, worker);
    return {
      loss: n[base + Result.LOSS]!,
      examples: n[base + Result.EXAMPLES]!,
      gradMs: n[base + Result.GRAD_MS]!,
      waitMs: n[base + Result.WAIT_MS]!,
      updateMs: n[base + Result.UPDATE_MS]!,
      tensors: n[base + Result.TENSORS]!,
      metrics: Array.from(n.subarray(base + Result.METRICS, base + Result.METRICS + this.metrics)),
    };
  }

  /** Whether every loss reported for step `step` by a worker with examples is finite. */
  lossFinite(step: number): boolean {
    const n = this.numbers;
    for (let w = 0; w < this.workers; w++) {
      const base = this.base(step, w);
      if (n[base + Result.EXAMPLES]! > 0 && !Number.isFinite(n[base + Result.LOSS]!)) return false;
    }
    return true;
  }
}
