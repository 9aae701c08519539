// Lesson, Example 1: Iris — 4 measurements (SepalLength, SepalWidth, PetalLength,
// PetalWidth) → 3 classes, one-hot targets and a softmax output layer.
import { tf } from '@tessera/core';
import { IRIS_CLASS_NAMES, loadIris } from '@tessera/datasets';
import { layers, sequential } from '@tessera/layers';

const train = loadIris({ split: 'train' }).toTensors({ oneHot: true });
const test = loadIris({ split: 'test' }).toTensors({ oneHot: true });

const model = sequential(
  [
    layers.dense({ units: 10, activation: 'relu', inputShape: [4] }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ],
  { seed: 1 },
);
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
await model.fit(train.x, train.y, { epochs: 100, batchSize: 16, verbose: 0, seed: 1 });
const { loss, accuracy } = model.evaluate(test.x, test.y);
console.log(`test loss ${loss?.toFixed(3)}, test accuracy ${accuracy?.toFixed(3)}`);

const flower = [[6.3, 3.3, 6.0, 2.5]];
const p = model.predict(flower) as tf.Tensor;
const k = tf.argMax(p, 1).dataSync()[0] ?? 0;
console.log(`[6.3, 3.3, 6.0, 2.5] → ${IRIS_CLASS_NAMES[k]}`);
