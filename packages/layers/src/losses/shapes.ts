/**
 * Shape checks and rank alignment shared by losses and metrics. Errors name both shapes so
 * a wrong label encoding (one-hot vs class ids) is obvious from the message.
 */
import { formatValue, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';

/** `"<what>. Received: yTrue.shape=[…], yPred.shape=[…]"` */
export function shapeMessage(expected: string, yTrue: Tensor, yPred: Tensor): string {
  return `${expected}. Received: yTrue.shape=${formatValue(yTrue.shape)}, yPred.shape=${formatValue(yPred.shape)}`;
}

/** Throws unless `yPred` has at least rank 1. */
export function requirePredRank(owner: string, yTrue: Tensor, yPred: Tensor): void {
  if (yPred.rank < 1) {
    throw new ShapeError(shapeMessage(`${owner}: yPred must have rank >= 1`, yTrue, yPred));
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Returns `yTrue` as float32 with exactly `yPred`'s shape. As Keras does, a trailing
 * dimension of size 1 on one side only is squeezed or added (`[n]` vs `[n, 1]`); any other
 * difference is a ShapeError naming both shapes. The caller owns the returned tensor
 * (call inside `tf.tidy`).
 */
export function alignTargets(owner: string, yTrue: Tensor, yPred: Tensor): Tensor {
  requirePredRank(owner, yTrue, yPred);
  const t = yTrue.shape;
  const p = yPred.shape;
  const fits =
    sameShape(t, p) ||
    (t.length === p.length + 1 && t[t.length - 1] === 1 && sameShape(t.slice(0, -1), p)) ||
    (p.length === t.length + 1 && p[p.length - 1] === 1 && sameShape(p.slice(0, -1), t));
  if (!fits) {
    throw new ShapeError(
      shapeMessage(`${owner}: yTrue and yPred must have the same shape`, yTrue, yPred),
    );
  }
  const asFloat = yTrue.dtype === 'float32' ? yTrue : tf.cast(yTrue, 'float32');
  return sameShape(t, p) ? asFloat : tf.reshape(asFloat, p);
}

/**
 * Checks that `yTrue` holds one class id per prediction: shape `yPred.shape[:-1]` or that
 * plus a trailing 1 (ShapeError naming both shapes otherwise).
 */
export function checkSparseShape(owner: string, yTrue: Tensor, yPred: Tensor): void {
  requirePredRank(owner, yTrue, yPred);
  const batchShape = yPred.shape.slice(0, -1);
  const t = yTrue.shape;
  const fits =
    sameShape(t, batchShape) ||
    (t.length === yPred.rank && t[t.length - 1] === 1 && sameShape(t.slice(0, -1), batchShape));
  if (!fits) {
    throw new ShapeError(
      shapeMessage(
        `${owner}: yTrue must hold one integer class id per prediction, with shape ${formatValue(batchShape)} or ${formatValue([...batchShape, 1])}`,
        yTrue,
        yPred,
      ),
    );
  }
}

/**
 * Integer class ids for sparse losses, flattened to int32 `[m]` where `m` is the number of
 * predictions (`yPred`'s size over its last axis). Accepts `[...batch]` or `[...batch, 1]`
 * labels of any numeric dtype. Every label must be an integer in [0, numClasses): the check
 * reads the labels, which are inputs and never on the gradient path.
 */
export function sparseLabels(owner: string, yTrue: Tensor, yPred: Tensor): Tensor {
  checkSparseShape(owner, yTrue, yPred);
  const numClasses = yPred.shape[yPred.rank - 1] ?? 0;
  const values = yTrue.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      throw new ValueError(
        `${owner}: class ids must be integers in [0, ${numClasses}) for yPred.shape=${formatValue(yPred.shape)}. Received: yTrue[${i}]=${formatValue(v)}`,
      );
    }
  }
  const flat = tf.reshape(yTrue, [-1]);
  return flat.dtype === 'int32' ? flat : tf.cast(flat, 'int32');
}
