/**
 * Stage 1 of `fit`: the run's settings. Options are validated; a resumed run continues the
 * checkpoint's run, so its seed, batch size, order, class weights and validation split come
 * from the checkpoint (and its epoch count, unless the caller gives one).
 */
import { received, ValueError } from '@tessera/core';
import { freshStart, type Model } from '@tessera/layers';
import { type CheckpointData, type ClassWeights, loadCheckpoint } from '../checkpoint.js';
import {
  validateCheckpointAgainstModel,
  validateCheckpointFields,
} from '../checkpoint-validation.js';
import { type FitOptions, type ResolvedFitOptions, resolveFitOptions } from '../options.js';
import type { StartPoint } from '../run.js';
import type { SharedTrainingState } from '../shared-state.js';

/** Validated options, and the checkpoint the run continues (if any). */
export interface RunSettingsAndResume {
  opts: ResolvedFitOptions;
  resume: CheckpointData | undefined;
  /** The class weights the run trains with: the caller's, or the resumed run's. */
  classWeight: ClassWeights | undefined;
}

/** The same class ids with the same weights (a missing id weighs 1). */
function sameClassWeights(a: ClassWeights | undefined, b: ClassWeights | undefined): boolean {
  const ids = new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})]);
  const weight = (w: ClassWeights | undefined, id: string): number =>
    (w as Record<string, number> | undefined)?.[id] ?? 1;
  return [...ids].every((id) => weight(a, id) === weight(b, id));
}

/**
 * The class weights of a resumed run: the checkpoint's, which the caller may repeat but not
 * change (the run would not continue as it started). A checkpoint from before they were
 * recorded has no say: the caller's are used as given.
 */
function resumedClassWeight(
  resume: CheckpointData,
  given: ClassWeights | undefined,
  where: string,
): ClassWeights | undefined {
  const saved = resume.run.classWeight;
  if (saved === undefined) return given;
  const stored = saved ?? undefined;
  if (given !== undefined && !sameClassWeights(given, stored)) {
    throw new ValueError(
      received(
        `fit: ${where} was trained with classWeight=${JSON.stringify(saved)}; resuming continues that run, so give the same classWeight or none`,
        'classWeight',
        given,
      ),
    );
  }
  return stored;
}

/**
 * The validation split of a resumed run: the checkpoint's when the caller gives neither a
 * split nor validationData, so the resumed run holds out the rows the run held out (before,
 * it trained on them); what the caller gives otherwise — their choice, as a new `epochs` is
 * (resuming on other data, say). Checkpoints from before the split was recorded have none.
 */
function resumedValidationSplit(resume: CheckpointData, options: FitOptions): number | undefined {
  const saved = resume.run.validationSplit;
  if (saved === undefined) return undefined;
  if (options.validationSplit !== undefined || options.validationData !== undefined)
    return undefined;
  return saved;
}

/** Validates the options, loads and checks the checkpoint to resume from. */
export async function resolveRun(model: Model, options: FitOptions): Promise<RunSettingsAndResume> {
  const opts = resolveFitOptions(options);
  const resume: CheckpointData | undefined =
    typeof options.resume === 'string' ? await loadCheckpoint(options.resume) : options.resume;
  let classWeight = options.classWeight;
  if (resume !== undefined) {
    // Every field is checked before use, whether the checkpoint came from a file or the caller.
    const where = typeof options.resume === 'string' ? options.resume : 'fit: resume';
    validateCheckpointFields(resume, where);
    if (model.built) validateCheckpointAgainstModel(resume, model, where);
    opts.seed = resume.run.seed;
    opts.batchSize = resume.run.batchSize;
    opts.shuffle = resume.run.shuffle;
    if (options.epochs === undefined) opts.epochs = resume.run.epochs;
    if (options.initialEpoch !== undefined) {
      throw new ValueError(
        received(
          'fit: initialEpoch cannot be given with resume (the checkpoint says where the run continues)',
          'initialEpoch',
          options.initialEpoch,
        ),
      );
    }
    classWeight = resumedClassWeight(resume, options.classWeight, where);
    opts.validationSplit = resumedValidationSplit(resume, options) ?? opts.validationSplit;
  }
  return { opts, resume, classWeight };
}

/** Where a run starts: from scratch, or (weights and optimizer state put into the shared buffers) from a checkpoint. */
export function startPoint(
  resume: CheckpointData | undefined,
  opts: ResolvedFitOptions,
  model: Model,
  state: SharedTrainingState,
  slotNames: readonly string[],
): StartPoint {
  return resume === undefined
    ? freshStart(opts.seed, opts.initialEpoch)
    : restore(resume, model, state, slotNames);
}

/** Puts a checkpoint's weights and optimizer state into the shared buffers. */
function restore(
  data: CheckpointData,
  model: Model,
  state: SharedTrainingState,
  slotNames: readonly string[],
): StartPoint {
  for (const w of model.weights) {
    const values = data.weights[w.name];
    if (values === undefined) {
      throw new ValueError(
        received(
          `fit: the checkpoint has no weight "${w.name}"; it was saved from another model`,
          'resume',
          Object.keys(data.weights),
        ),
      );
    }
    state.store.set(w.name, values);
  }
  const slots = state.optimizerSlots();
  slotNames.forEach((name, i) => {
    const values = data.optimizer.slots[name];
    if (values === undefined || values.length !== state.length) {
      throw new ValueError(
        received(
          `fit: the checkpoint's optimizer state "${name}" must hold ${state.length} values for this model`,
          `optimizer.slots.${name}.length`,
          values?.length,
        ),
      );
    }
    slots[i]!.set(values);
  });
  return { iteration: data.optimizer.iteration, progress: data.progress, rng: data.rng };
}
