/**
 * `sampleWeight` and `classWeight` of `fit` / `evaluate`, as Keras takes them: one weight per
 * row, or a weight per class id that becomes each row's weight (the class is the argmax of
 * a one-hot target, else the rounded label). A class missing from `classWeight` weighs 1.
 * The weights scale each row's loss; metrics stay unweighted (Keras's `metrics`).
 */
import { formatValue, received, type Tensor, tf, ValueError } from '@tessera/core';
import { isRecord } from '../registry/checks.js';

/** One weight per row: an array or a `[n]` / `[n, 1]` tensor. */
export type SampleWeight = ArrayLike<number> | Tensor;

/** Weight per class id: `{ 0: 1, 1: 5 }`. */
export type ClassWeight = Readonly<Record<number, number>>;

function isTensor(x: unknown): x is Tensor {
  return x instanceof tf.Tensor;
}

/**
 * The rows' weights as a float32 `[n]` tensor the caller owns, or undefined when neither
 * option is given. `targets` is the first output's target tensor (for classWeight).
 */
export function rowWeights(
  owner: string,
  options: { sampleWeight?: SampleWeight; classWeight?: ClassWeight },
  targets: Tensor,
  rows: number,
): Tensor | undefined {
  const { sampleWeight, classWeight } = options;
  if (sampleWeight !== undefined && classWeight !== undefined) {
    throw new ValueError(
      `${owner}: give sampleWeight or classWeight, not both (as Keras). Received: sampleWeight and classWeight`,
    );
  }
  if (sampleWeight !== undefined) return fromSampleWeight(owner, sampleWeight, rows);
  if (classWeight !== undefined) return fromClassWeight(owner, classWeight, targets);
  return undefined;
}

function fromSampleWeight(owner: string, value: SampleWeight, rows: number): Tensor {
  return tf.tensor1d(sampleWeightArray(owner, value, rows), 'float32');
}

/**
 * `sampleWeight` checked (one finite non-negative weight per row, an array or a `[n]` /
 * `[n, 1]` tensor) and copied into a new Float32Array (the data-parallel trainer shares it
 * with its workers).
 */
export function sampleWeightArray(owner: string, value: SampleWeight, rows: number): Float32Array {
  let values: ArrayLike<number>;
  if (isTensor(value)) {
    const ok = value.rank === 1 || (value.rank === 2 && value.shape[1] === 1);
    if (!ok) {
      throw new ValueError(
        received(
          `${owner}: sampleWeight must have shape [n] or [n, 1]`,
          'sampleWeight.shape',
          value.shape,
        ),
      );
    }
    values = value.dataSync();
  } else if (typeof value === 'object' && value !== null && typeof value.length === 'number') {
    values = value;
  } else {
    throw new ValueError(
      received(
        `${owner}: sampleWeight must be an array or a tensor of one weight per row`,
        'sampleWeight',
        value,
      ),
    );
  }
  if (values.length !== rows) {
    throw new ValueError(
      received(
        `${owner}: sampleWeight needs one weight per row (${rows})`,
        'sampleWeight.length',
        values.length,
      ),
    );
  }
  const out = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const w = Number(values[i]);
    if (!Number.isFinite(w) || w < 0) {
      throw new ValueError(
        `${owner}: sample weights must be finite and non-negative. Received: sampleWeight[${i}]=${formatValue(values[i])}`,
      );
    }
    out[i] = w;
  }
  return out;
}

function fromClassWeight(owner: string, value: ClassWeight, targets: Tensor): Tensor {
  if (!isRecord(value)) {
    throw new ValueError(
      received(`${owner}: classWeight must map class ids to weights`, 'classWeight', value),
    );
  }
  const weights = new Map<number, number>();
  for (const [key, w] of Object.entries(value)) {
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0 || typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new ValueError(
        `${owner}: classWeight must map class ids (integers >= 0) to finite non-negative weights. Received: classWeight[${key}]=${formatValue(w)}`,
      );
    }
    weights.set(id, w);
  }
  const classes = tf.tidy(() => {
    const oneHot = targets.rank > 1 && (targets.shape[targets.rank - 1] ?? 1) !== 1;
    const ids = oneHot ? tf.argMax(targets, -1) : tf.round(tf.cast(targets, 'float32'));
    return tf.reshape(ids, [targets.shape[0] ?? 0]);
  });
  const ids = classes.dataSync();
  classes.dispose();
  return tf.tensor1d(
    Float32Array.from(ids, (c) => weights.get(Number(c)) ?? 1),
    'float32',
  );
}
