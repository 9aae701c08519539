/**
 * One weight of a layer (a kernel, a bias): a tf.Variable plus what the layer declared
 * about it — initializer, regularizer, constraint, trainable. Its `name` is
 * '<layer name>/<weight name>' ('dense_1/kernel'), unique within a model because layer
 * names are; the trainer and checkpoints address weights by it.
 *
 * Writes go through `write()`: when the weight is bound to a ParameterStore (see
 * `bindWeights`), the new values are copied into the store's memory, so the store, the
 * variable and every thread that shares the store keep seeing the same numbers.
 */
import { received, ShapeError, type Tensor, tf } from '@tessera/core';
import type { Constraint } from '../constraints/index.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { formatShape, receivedShape, sizeOfShape } from './shape.js';

/** What the trainer and the checkpoint code rely on. */
export interface LayerWeight {
  /** Unique within a model, e.g. 'dense_1/kernel'. */
  readonly name: string;
  readonly shape: number[];
  readonly trainable: boolean;
  /** The value. */
  readonly variable: tf.Variable;
  /** Applied after each optimizer update (`applyConstraints`). */
  readonly constraint?: Constraint;
}

/** Options of `Layer.addWeight`. */
export interface AddWeightOptions {
  /** Short name inside the layer: 'kernel', 'bias'. */
  name: string;
  /** Full shape of the weight. */
  shape: number[];
  /** Produces the initial values (drawn from the model's or the global seeded stream). */
  initializer: Initializer;
  /** Adds a penalty on this weight to the training loss. */
  regularizer?: Regularizer | undefined;
  /** Projects the weight back after each update (e.g. max-norm). */
  constraint?: Constraint | undefined;
  /** Whether training updates it (default true). */
  trainable?: boolean;
}

/** The engine's LayerWeight: variable-backed, writable in place when bound to a store. */
export class Weight implements LayerWeight {
  readonly name: string;
  readonly shape: number[];
  readonly size: number;
  readonly initializer: Initializer;
  readonly regularizer?: Regularizer;
  readonly constraint?: Constraint;
  readonly variable: tf.Variable;
  /** Declared trainability; the effective value also needs the owning layer trainable. */
  readonly declaredTrainable: boolean;
  /** Store memory the variable aliases after `bindWeights`. */
  private boundView: Float32Array | undefined;
  /** A tensor standing in for the variable while `withWeightValues` runs. */
  private override: Tensor | undefined;

  constructor(fullName: string, options: AddWeightOptions, initial: Tensor) {
    this.name = fullName;
    this.shape = [...options.shape];
    this.size = sizeOfShape(this.shape);
    this.initializer = options.initializer;
    if (options.regularizer !== undefined) this.regularizer = options.regularizer;
    if (options.constraint !== undefined) this.constraint = options.constraint;
    this.declaredTrainable = options.trainable ?? true;
    this.variable = tf.variable(initial, this.declaredTrainable);
  }

  get trainable(): boolean {
    return this.variable.trainable;
  }

  /** Called by the layer when its `trainable` flag changes. */
  setLayerTrainable(layerTrainable: boolean): void {
    this.variable.trainable = layerTrainable && this.declaredTrainable;
  }

  /** The tensor layers compute with: the variable, or a stand-in during gradient checks. */
  get value(): Tensor {
    return this.override ?? this.variable;
  }

  /** A copy of the current values that later training does not change. */
  read(): Tensor {
    return tf.tensor(this.variable.dataSync().slice(), this.shape, 'float32');
  }

  /** Replaces the values (shape checked), in place when bound to a store. */
  write(values: Tensor | Float32Array): void {
    const length = values instanceof Float32Array ? values.length : values.size;
    if (!(values instanceof Float32Array) && !sameShape(values.shape, this.shape)) {
      throw new ShapeError(
        receivedShape(`Weight "${this.name}" has shape ${formatShape(this.shape)}`, values.shape),
      );
    }
    if (length !== this.size) {
      throw new ShapeError(
        received(`Weight "${this.name}" holds ${this.size} values`, 'length', length),
      );
    }
    const view = this.boundView;
    if (view !== undefined && this.variable.dataSync() === view) {
      view.set(values instanceof Float32Array ? values : values.dataSync());
      return;
    }
    this.boundView = undefined;
    if (values instanceof Float32Array) {
      const t = tf.tensor(values.slice(), this.shape, 'float32');
      this.variable.assign(t);
      t.dispose();
    } else {
      this.variable.assign(values.dtype === 'float32' ? values : tf.cast(values, 'float32'));
    }
  }

  /**
   * Makes the variable alias `view`. By default the current values are copied into it
   * first; with `copy: false` the weight adopts what the view already holds (a worker
   * thread joining a store that has the trained weights).
   */
  bind(view: Float32Array, options: { copy?: boolean } = {}): void {
    if (view.length !== this.size) {
      throw new ShapeError(
        received(`Weight "${this.name}" holds ${this.size} values`, 'length', view.length),
      );
    }
    if (options.copy !== false) view.set(this.variable.dataSync());
    const t = tf.tensor(view, this.shape, 'float32');
    this.variable.assign(t);
    t.dispose();
    this.boundView = view;
  }

  /** Runs `fn` with `value` returning `stand` instead of the variable. */
  withValue<T>(stand: Tensor, fn: () => T): T {
    const previous = this.override;
    this.override = stand;
    try {
      return fn();
    } finally {
      this.override = previous;
    }
  }

  dispose(): void {
    this.variable.dispose();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Calls `fn` with each weight's `value` replaced by the matching tensor. Layers read
 * weights through `value`, so this evaluates the layer as a pure function of its
 * parameters — what gradient checks with respect to the weights need.
 */
export function withWeightValues<T>(
  weights: readonly Weight[],
  values: readonly Tensor[],
  fn: () => T,
): T {
  const step = (i: number): T => {
    const w = weights[i];
    const v = values[i];
    if (w === undefined || v === undefined) return fn();
    return w.withValue(v, () => step(i + 1));
  };
  return step(0);
}
