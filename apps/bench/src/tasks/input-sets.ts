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

/** Loads the sets asked for; a set that cannot load is returned as a reason instead. */
export function loadInputSets(names: readonly InputSetName[]): {
  sets: InputSet[];
  missing: { name: InputSetName; reason: string }[];
} {
  const sets: InputSet[] = [];
  const missing: { name: InputSetName; reason: string }[] = [];
  for (const name of names) {
    try {
      if (name === 'mnist') {
        sets.push({
          name,
          description: 'MNIST',
          data: loadMnist({ split: 'train', shared: true }),
        });
      } else if (name === 'fashion-mnist') {
        const data = loadFashionMnist({ split: 'train', shared: true });
        sets.push({ name, description: 'Fashion-MNIST', data });
      } else {
        sets.push({
          name,
          description: 'dense synthetic (no zero feature)',
          data: denseSynthetic(),
        });
      }
    } catch (error) {
      missing.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { sets, missing };
}
