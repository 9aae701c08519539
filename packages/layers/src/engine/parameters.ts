/**
 * The bridge between a model and a ParameterStore (flat float32 memory, shared between
 * threads by the trainer). Layout: trainable weights first, in Keras order, then the
 * non-trainable ones; each entry is named after its LayerWeight ('dense_1/kernel').
 *
 * After `bindWeights`, every weight's variable aliases its slice of the store: on the
 * cpu backend `variable.assign(tensor)` adopts the tensor's data, and a tensor made over
 * a Float32Array view keeps that view. Writes into the store (optimizer updates, other
 * threads) are then seen by the model with no copy.
 */
import { type ParameterSpec, type ParameterStore, ShapeError, StateError } from '@tessera/core';
import type { Model } from './model.js';
import { formatShape, receivedShape } from './shape.js';

/** One spec per weight: trainable first (Keras order), then non-trainable. */
export function parameterSpecs(model: Model): ParameterSpec[] {
  if (!model.built) {
    throw new StateError(
      `parameterSpecs: model "${model.name}" is not built yet; build it or call it on data first.`,
    );
  }
  return [...model.trainableWeights, ...model.nonTrainableWeights].map((w) => ({
    name: w.name,
    shape: [...w.shape],
  }));
}

/**
 * Makes each variable alias its slice of the store. By default the model's current values
 * are copied into the store first; `copy: false` adopts the store's values instead.
 */
export function bindWeights(
  model: Model,
  store: ParameterStore,
  options: { copy?: boolean } = {},
): void {
  const weights = model.weights;
  for (const w of weights) {
    const entry = store.entry(w.name);
    if (entry.shape.length !== w.shape.length || entry.shape.some((d, i) => d !== w.shape[i])) {
      throw new ShapeError(
        receivedShape(
          `bindWeights: weight "${w.name}" has shape ${formatShape(w.shape)}, the store entry differs`,
          entry.shape,
        ),
      );
    }
  }
  for (const w of weights) w.bind(store.view(w.name), options);
}

/**
 * Where the trainable weights' gradients go in a flat array laid out like `store`:
 * one offset per trainable weight (model order) and the end of the last one.
 */
export function trainableOffsets(
  model: Model,
  store: ParameterStore,
): { offsets: number[]; end: number } {
  const offsets: number[] = [];
  let end = 0;
  for (const w of model.trainableWeights) {
    const entry = store.entry(w.name);
    offsets.push(entry.offset);
    end = Math.max(end, entry.offset + entry.size);
  }
  return { offsets, end };
}
