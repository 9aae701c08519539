/**
 * How the in-process `model.fit` executes steps for the epoch loop (epoch-loop.ts): one
 * step per run, on the main thread. A step runs the shared TrainingStep over the whole
 * batch into a flat gradient array; then, unless the loss guard or a veto stops it, the
 * optimizer updates the whole flat parameter vector, constraints are applied and state
 * updates (moving statistics) written — what the trainer's workers do over their slices,
 * so both fits give the same weights for a seed. A step that throws, is vetoed or whose
 * loss is not finite changes no weight and no optimizer state.
 */
import type { Tensor } from '@tessera/core';
import type { Optimizer, VariableRange } from '../optimizers/index.js';
import { evaluateBatches } from './batch-results.js';
import { disposeAll, gatherRows, sliceRows } from './data.js';
import type { Model } from './model.js';
import { StepNoise } from './step-noise.js';
import type { Measured, RunResult, StepRun, StepRunner } from './step-runner.js';
import type { OptimizerState } from './training.js';
import { applyConstraints, type TrainingStep } from './training-step.js';

/** Tensors of one split: inputs, targets and (optionally) one weight per row. */
export interface SplitData {
  xs: Tensor[];
  ys: Tensor[];
  weights: Tensor | undefined;
}

export interface InProcessRunnerArgs {
  model: Model;
  step: TrainingStep;
  optimizer: Optimizer;
  /** The flat parameter vector the model's weights are bound to. */
  params: Float32Array;
  /** Where each trainable weight's gradient goes in the flat gradient array. */
  offsets: readonly number[];
  /** End of the trainable part of the parameter vector (the optimizer updates [0, end)). */
  end: number;
  /** The trainable weights' ranges (clipnorm, excludeFromWeightDecay). */
  variables: readonly VariableRange[];
  state: OptimizerState;
  train: SplitData;
  validation: SplitData | undefined;
  /** The epoch's order of training rows (the loop draws it). */
  order: Int32Array;
  /** False: `order` is the identity, so batches are slices. */
  shuffle: boolean;
  batchSize: number;
  /** The run's seed: each step's noise is drawn from it (step-noise.ts). */
  seed: number;
}

export class InProcessRunner implements StepRunner {
  private readonly grads: Float32Array;
  private readonly rows: number;

  constructor(private readonly args: InProcessRunnerArgs) {
    this.grads = new Float32Array(args.params.length);
    this.rows = args.order.length;
  }

  runLength(): number {
    return 1;
  }

  async run(run: StepRun): Promise<RunResult> {
    const results: Measured[] = [];
    const step = (j: number): Measured => results[j] as Measured;
    for (let j = 0; j < run.steps; j++) {
      const measured = this.gradients(run.batch + j, run.iteration + j);
      results.push(measured);
      const skipped =
        run.guardLoss && !Number.isFinite(measured.loss)
          ? 'nonFinite'
          : run.allow !== undefined && !run.allow(measured)
            ? 'veto'
            : undefined;
      if (skipped !== undefined) {
        this.args.step.discardUpdates();
        return { applied: j, skipped, step };
      }
      this.update(run.iteration + j);
    }
    return { applied: run.steps, step };
  }

  async validate(): Promise<Measured | undefined> {
    const { validation, step, batchSize } = this.args;
    if (validation === undefined) return undefined;
    const { xs, ys, weights } = validation;
    const result = evaluateBatches(step, xs, ys, batchSize, weights);
    return { ...result, examples: xs[0]?.shape[0] ?? 0 };
  }

  /** Forward and backward pass of batch `b` (step `iteration`) into the gradient array. */
  private gradients(b: number, iteration: number): Measured {
    const { train, order, shuffle, batchSize, step, offsets, seed } = this.args;
    const start = b * batchSize;
    const size = Math.min(batchSize, this.rows - start);
    const take = (list: Tensor[]): Tensor[] =>
      shuffle
        ? gatherRows(list, order.subarray(start, start + size))
        : sliceRows(list, start, size);
    const xb = take(train.xs);
    const yb = take(train.ys);
    const wb = train.weights === undefined ? [] : take([train.weights]);
    try {
      const result = step.computeGradients(xb, yb, this.grads, offsets, 1, {
        noise: new StepNoise(seed, iteration, size),
        sampleWeight: wb[0],
      });
      return { loss: result.loss, statistics: result.statistics, examples: size };
    } finally {
      disposeAll(xb);
      disposeAll(yb);
      disposeAll(wb);
    }
  }

  /** The optimizer update of step `iteration`, then constraints and state updates. */
  private update(iteration: number): void {
    const { model, optimizer, params, state, end, variables, offsets, step } = this.args;
    if (offsets.length > 0) {
      state.iteration = iteration;
      optimizer.applyUpdate({
        params,
        grads: this.grads,
        slots: state.slots,
        iteration,
        start: 0,
        end,
        variables,
      });
      applyConstraints(model);
    }
    step.commitUpdates();
  }
}
