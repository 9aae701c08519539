/**
 * Checkpoint ↔ tessera-pytorch state. A checkpoint keeps each optimizer slot as one flat
 * array laid out like the trainer's parameter store (weights in the model's order, each
 * padded to an aligned offset); the state folder keeps it per weight, in that weight's
 * shape, so Python can pair it with a parameter.
 */
import { FormatError, planLayout } from '@tessera/core';
import { type Model, parameterSpecs } from '@tessera/layers';
import type { CheckpointData } from '@tessera/trainer';
import type { PytorchState } from './state-files.js';

/** The records a PyTorch run carries through unchanged. */
const CARRIED = ['rng', 'history', 'extra', 'progress'] as const;

/** Where each weight lies in the trainer's flat parameter vector. */
export type ParameterLayout = ReturnType<typeof planLayout>;

/** The flat layout of a built model's weights, as the trainer lays them out. */
export function parameterLayout(model: Model): ParameterLayout {
  return planLayout(parameterSpecs(model));
}

/** The state to export from a checkpoint of a model with `layout`. */
export function stateFromCheckpoint(data: CheckpointData, layout: ParameterLayout): PytorchState {
  const weights: PytorchState['weights'] = new Map();
  for (const entry of layout.entries) {
    const values = data.weights[entry.name];
    if (values === undefined)
      throw new FormatError(`checkpoint: no values for weight "${entry.name}"`);
    weights.set(entry.name, { shape: [...entry.shape], values });
  }
  const slots: PytorchState['slots'] = new Map();
  for (const [slot, flat] of Object.entries(data.optimizer.slots)) {
    if (flat.length !== layout.length) {
      throw new FormatError(
        `checkpoint: optimizer slot "${slot}" has ${flat.length} values; expected ${layout.length}, the parameter vector's length`,
      );
    }
    const byWeight = new Map<string, Float32Array>();
    for (const e of layout.entries) byWeight.set(e.name, flat.slice(e.offset, e.offset + e.size));
    slots.set(slot, byWeight);
  }
  const carried: Record<string, unknown> = {};
  for (const key of CARRIED) carried[key] = data[key];
  return {
    manifest: {
      model: data.model,
      compile: data.compile,
      optimizer: { config: data.optimizer.config, iteration: data.optimizer.iteration },
      run: data.run,
      epoch: data.progress.batch === 0 ? data.progress.epoch : data.progress.epoch + 1,
      carried,
    },
    weights,
    slots,
  };
}

/** The checkpoint a state folder stands for, its model laid out as `layout`. */
export function checkpointFromState(state: PytorchState, layout: ParameterLayout): CheckpointData {
  const { manifest } = state;
  const weights: Record<string, Float32Array> = {};
  for (const [name, w] of state.weights) weights[name] = w.values;
  const slots: Record<string, Float32Array> = {};
  for (const [slot, byWeight] of state.slots) {
    // Padding between weights stays zero, as in the trainer's store.
    const flat = new Float32Array(layout.length);
    for (const e of layout.entries) {
      const values = byWeight.get(e.name);
      if (values === undefined || values.length !== e.size)
        throw new FormatError(`optimizer slot "${slot}" has no ${e.size} values for "${e.name}"`);
      flat.set(values, e.offset);
    }
    slots[slot] = flat;
  }
  const carried = manifest.carried as Pick<
    CheckpointData,
    'rng' | 'history' | 'extra' | 'progress'
  >;
  const sameEpoch = carried.progress.epoch === manifest.epoch && carried.progress.batch === 0;
  return {
    format: 'tessera-checkpoint',
    model: manifest.model,
    weights,
    optimizer: {
      config: manifest.optimizer.config,
      iteration: manifest.optimizer.iteration,
      slots,
    },
    compile: manifest.compile as CheckpointData['compile'],
    // Training in PyTorch ends on an epoch boundary: the next epoch starts afresh.
    progress: sameEpoch
      ? carried.progress
      : {
          epoch: manifest.epoch,
          batch: 0,
          lossSum: 0,
          metricSums: carried.progress.metricSums.map(() => 0),
          examples: 0,
        },
    // Epochs trained in PyTorch count: the run's planned epochs cover at least those done.
    run: { ...manifest.run, epochs: Math.max(manifest.run.epochs, manifest.epoch) },
    rng: carried.rng,
    history: carried.history,
    extra: carried.extra,
    savedAt: new Date().toISOString(),
  };
}
