/**
 * Rank standardisation, as Keras and tfjs do it: data one axis short of what a built model
 * takes, where that axis has size 1 (`[n, 10]` for `[null, 10, 1]`), gains it; data with one
 * extra trailing axis of size 1 (`[n, 10, 1]` for `[null, 10]`) loses it. Anything else is
 * left for the model's own shape check to report.
 */
import { type Tensor, tf } from '@tessera/core';
import type { SymbolicTensor } from './symbolic.js';

/** Inputs reshaped to the ranks `inputs` expect; `owned` are the new tensors to dispose. */
export function matchInputRanks(
  inputs: readonly SymbolicTensor[] | undefined,
  xs: readonly Tensor[],
): { xs: Tensor[]; owned: Tensor[] } {
  const owned: Tensor[] = [];
  if (inputs === undefined || inputs.length !== xs.length) return { xs: [...xs], owned };
  const out = xs.map((x, i) => {
    const want = (inputs[i] as SymbolicTensor).shape;
    let adapted: Tensor | undefined;
    if (x.rank === want.length - 1 && want.at(-1) === 1) adapted = tf.expandDims(x, -1);
    else if (x.rank === want.length + 1 && x.shape.at(-1) === 1) adapted = tf.squeeze(x, [-1]);
    if (adapted === undefined) return x;
    owned.push(adapted);
    return adapted;
  });
  return { xs: out, owned };
}
