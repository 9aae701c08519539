/**
 * Adam on the resident step: each update chunk's parameters go through core's fused
 * kernel from one copy of the training state to the other (alternation.ts), with the
 * step's coefficients worked out once per step. Every MOMENT_FLOOR_PERIOD iterations the
 * chunk's moments under core's floor (1e-25) are then set to 0 (core's `floorMoments`): a
 * moment whose gradient stays 0 shrinks by β1 a step and would reach float32's subnormal
 * numbers, which this machine's cores compute several times slower — on MNIST, from the
 * second epoch on, every step's Adam took about twice as long (docs/resident-step.md).
 * The iteration decides, so the bits do not depend on the worker count.
 */
import type { ResidentKernels } from '@tessera/core';
import type { Adam } from '@tessera/layers';
import type { SharedTrainingState } from './shared-state.js';

/** Iterations between two settings of the moments' floor. */
export const MOMENT_FLOOR_PERIOD = 32;

export class FusedAdam {
  /** [alpha, 1 − β1, 1 − β2, ε, decay] of the current step (Adam.adamCoefficients). */
  private readonly coefficients = new Float64Array(5);
  /** Whether the current step sets the moments' floor (every MOMENT_FLOOR_PERIOD iterations). */
  private floors = false;
  private readonly amsgrad: boolean;

  constructor(
    private readonly adam: Adam,
    private readonly kernels: ResidentKernels,
    private readonly shared: SharedTrainingState,
  ) {
    this.amsgrad = adam.amsgrad;
  }

  /** Before the step's chunks: its iteration's coefficients. Allocates nothing. */
  begin(iteration: number): void {
    this.adam.adamCoefficients(iteration, this.coefficients);
    this.floors = iteration % MOMENT_FLOOR_PERIOD === 0;
  }

  /**
   * Parameters [start, start + n), whose gradient is the float at `gradient` + 4·i for
   * parameter i, from copy `from` of the state to copy `to`.
   */
  range(start: number, n: number, gradient: number, from: number, to: number): void {
    this.at(start, n, gradient + start * 4, from, to);
  }

  /**
   * Parameters [start, start + n), whose gradients are the n floats at `gradient` (a
   * compact buffer), from copy `from` of the state to copy `to`.
   */
  at(start: number, n: number, gradient: number, from: number, to: number): void {
    const { shared } = this;
    const k = this.kernels.raw;
    const c = this.coefficients;
    const o = start * 4;
    const hIn = this.amsgrad ? shared.copyOffset(from, 3) + o : 0;
    const hOut = this.amsgrad ? shared.copyOffset(to, 3) + o : 0;
    k.adamMoved(
      shared.copyOffset(from, 0) + o,
      shared.copyOffset(to, 0) + o,
      gradient,
      shared.copyOffset(from, 1) + o,
      shared.copyOffset(to, 1) + o,
      shared.copyOffset(from, 2) + o,
      shared.copyOffset(to, 2) + o,
      hIn,
      hOut,
      n,
      c[0]!,
      c[1]!,
      c[2]!,
      c[3]!,
      c[4]!,
    );
    // Called every step, on no floats between the floor's iterations: a branch that the
    // rehearsal's steps (which all have one iteration) never take would leave V8 compiling
    // this code without having seen it run, and throwing the compiled code away when it
    // first does, in the middle of the first epoch.
    const floored = this.floors ? n : 0;
    k.floorMoments(shared.copyOffset(to, 1) + o, floored);
    k.floorMoments(shared.copyOffset(to, 2) + o, floored);
  }
}
