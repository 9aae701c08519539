/**
 * What a layer's `call` learns about the call besides its inputs.
 */
import type { RngStream, Tensor } from '@tessera/core';
import type { Weight } from './layer-weight.js';
import type { StepNoise } from './step-noise.js';

/**
 * A new value for a non-trainable weight computed by a training-mode call (a moving
 * mean): applied only once the step succeeded, by whoever collected it.
 */
export interface StateUpdate {
  readonly weight: Weight;
  /** Kept out of enclosing tidy scopes; the collector writes it, then disposes it. */
  readonly value: Tensor;
}

/**
 * How the shards of one global batch, computed in different threads (data-parallel
 * training), add up values they each hold: BatchNormalization's per-feature sums, a loss's
 * count of rows kept. Without one, a call sees its whole batch.
 */
export interface BatchExchange {
  /**
   * Replaces every value by its sum over all shards of the batch, the same bits in every
   * shard. Every shard calls it the same number of times, with the same lengths, in the
   * same order. Throws when the step is aborted.
   */
  sum(values: Float64Array): void;
}

/** Passed to every `Layer.call`. */
export interface CallContext {
  /** True inside a training step: dropout drops, etc. */
  readonly training: boolean;
  /**
   * The training step's noise, keyed by the step and row chunks of the batch
   * (step-noise.ts): what a layer without a seed of its own draws from in training.
   */
  readonly noise?: StepNoise | undefined;
  /** Stream for random masks (dropout) when the layer has no seed of its own and there is no step noise. */
  readonly rng?: RngStream | undefined;
  /**
   * When present, layers push extra loss terms here (activity regularization, kept out
   * of enclosing tidy scopes); whoever created the list adds them to the loss and then
   * disposes them. Absent in plain inference.
   */
  readonly losses?: Tensor[] | undefined;
  /**
   * When present, training-mode calls push state updates here (BatchNormalization's moving
   * statistics) instead of writing them, so a failed step changes nothing; absent, they
   * write at once (as Keras does on `layer(x, training=True)`).
   */
  readonly updates?: StateUpdate[] | undefined;
  /**
   * Set by the data-parallel trainer when this call's batch is one shard of a global batch:
   * training-mode BatchNormalization then normalises with the global batch's statistics.
   */
  readonly exchange?: BatchExchange | undefined;
  /**
   * Set by the data-parallel trainer: this call's rows are rows [offset, offset + n) of a
   * global batch of `total` rows. Layers that draw noise draw it for the whole batch and
   * keep these rows (layers/row-draws.ts), so the draws do not depend on the cut.
   */
  readonly rows?: { readonly offset: number; readonly total: number } | undefined;
}

/** Options of `layer.apply(x)` / `model.apply(x)` on concrete tensors. */
export interface ApplyOptions {
  /** Run in training mode (dropout active). Default false. */
  training?: boolean;
  /** Stream for dropout masks; default: the layer's own seed, else the global stream. */
  rng?: RngStream;
}

/** `'one'`: the layer returns one tensor; `'many'`: a list (multi-output models). */
export type Arity = 'one' | 'many';

/** One `T` or a list of them, by arity. */
export type Out<A extends Arity, T> = A extends 'many' ? T[] : T;
