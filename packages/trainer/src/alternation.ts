/**
 * The resident step keeps two copies of the training state (the weights and the optimizer
 * state): copy 0 is the ParameterStore every thread sees between runs, copy 1 the
 * `alternate` region of the shared memory (shared-state.ts). A step reads one copy and
 * writes the other, so the copy it read is still whole if the step fails: a failed step
 * is undone by using that copy, with nothing backed up. The copies alternate so that the
 * last step of a run writes copy 0; in a run of an odd number of steps the first one
 * updates copy 0 in place, after its owners back their slices up (the old way, once per
 * run). A run of one step (a veto, or a callback that sees every batch) is such a step.
 *
 * Pure functions of (step j of the run, the run's step count), so the workers and the main
 * thread agree on them without a word exchanged.
 */

/** Whether step j of a run of `steps` updates copy 0 in place (backed up first). */
export function updatesInPlace(j: number, steps: number): boolean {
  return j === 0 && steps % 2 === 1;
}

/** The copy step j of a run of `steps` reads (0 or 1). */
export function readCopy(j: number, steps: number): number {
  if (updatesInPlace(j, steps)) return 0;
  return (j - (steps % 2)) % 2;
}

/** The copy step j of a run of `steps` writes (0 or 1); the run's last step writes 0. */
export function writeCopy(j: number, steps: number): number {
  if (updatesInPlace(j, steps)) return 0;
  return 1 - readCopy(j, steps);
}

/** The copy that holds the state after the first `applied` steps of a run of `steps`. */
export function copyAfter(applied: number, steps: number): number {
  return applied === 0 ? 0 : writeCopy(applied - 1, steps);
}

/**
 * The position (step j of a run of `steps`) every rehearsal step takes (rehearsal.ts): the
 * first of a run of two, which reads copy 0 and writes copy 1 and does not update in place.
 */
export const REHEARSAL_POSITION = { step: 0, steps: 2 } as const;
