/**
 * The inputs the training bench trains the reference network on, so that speed is never
 * only sparsity: MNIST itself (about 19% of its pixels are nonzero, so Tessera's first
 * layer reads compressed rows), Fashion-MNIST when Debian's `dataset-fashion-mnist` is
 * installed (about half its pixels are nonzero), and a synthetic set of 60,000 dense
 * 784-feature rows (no zero at all) that is always there.
 */
import { Rng } from '@tessera/core';
import { Dataset, loadFashionMnist, loadMnist } from '@tessera/datasets';

/** The names `--inputs` takes. */
export const INPUT_SET_NAMES = ['mnist', 'dense', 'fashion-mnist'] as const;
export type InputSetName = (typeof INPUT_SET_NAMES)[number];

/** One input set: a 784-feature, 10-class training set of uint8 pixels scaled by 1/255. */
export interface InputSet {
  name: InputSetName;
  description: string;
  data: Dataset;
}

/** Examples in the synthetic set (an MNIST epoch's worth). */
export const DENSE_EXAMPLES = 60_000;

/**
 * A learnable dense set: each class has its own random mean image, and each example is
 * its class mean plus noise, clipped to 1..255 so that no feature is ever zero.
 */
export function denseSynthetic(examples = DENSE_EXAMPLES, seed = 7): Dataset {
  const pixels = 784;
  const classes = 10;
  const rng = new Rng(seed);
  const means = rng.stream('means');
  const noise = rng.stream('noise');
  const centres = Float64Array.from({ length: classes * pixels }, () => 40 + means.next() * 175);
  const features = new Uint8Array(new SharedArrayBuffer(examples * pixels));
  const targets = new Int32Array(new SharedArrayBuffer(examples * 4));
  for (let i = 0; i < examples; i++) {
    const c = i % classes;
    targets[i] = c;
    for (let j = 0; j < pixels; j++) {
      const v = centres[c * pixels + j]! + (noise.next() - 0.5) * 120;
      features[i * pixels + j] = Math.min(255, Math.max(1, Math.round(v)));
    }
  }
  return new Dataset({
    name: 'dense-synthetic',
    task: 'classification',
    featureShape: [28, 28],
    features,
    featureScale: 1 / 255,
    targets,
    classNames: Array.from({ length: classes }, (_, c) => `class ${c}`),
  });
}

/**
 * Loads one set, or returns the reason it cannot load. One at a time: the bench's peak
 * memory then counts the set being trained on, not every set.
 */
export function loadInputSet(
  name: InputSetName,
): InputSet | { name: InputSetName; reason: string } {
  try {
    if (name === 'mnist') {
      return { name, description: 'MNIST', data: loadMnist({ split: 'train', shared: true }) };
    }
    if (name === 'fashion-mnist') {
      const data = loadFashionMnist({ split: 'train', shared: true });
      return { name, description: 'Fashion-MNIST', data };
    }
    return { name, description: 'dense synthetic (no zero feature)', data: denseSynthetic() };
  } catch (error) {
    return { name, reason: error instanceof Error ? error.message : String(error) };
  }
}
