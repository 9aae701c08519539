// Lesson, Example 3: regression. Hours slept and hours studied → test score:
// x = [[3, 5], [5, 1], [10, 2]], y = [75, 82, 93]. Inputs are scaled by their maximum and
// scores by 100, so a sigmoid output fits them.
import type { tf } from '@tessera/core';
import { layers, optimizers, sequential } from '@tessera/layers';

const x = [
  [3, 5],
  [5, 1],
  [10, 2],
];
const y = [75, 82, 93];
const xs = x.map(([slept = 0, studied = 0]) => [slept / 10, studied / 5]);
const ys = y.map((score) => score / 100);

const model = sequential(
  [
    layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2] }),
    layers.dense({ units: 1, activation: 'sigmoid' }),
  ],
  { seed: 1 },
);
model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'mean_squared_error' });
await model.fit(xs, ys, { epochs: 1500, batchSize: 3, verbose: 0, seed: 1 });

const predicted = (model.predict(xs) as tf.Tensor).dataSync();
x.forEach((row, i) => {
  console.log(
    `slept ${row[0]} h, studied ${row[1]} h → predicted ${(100 * (predicted[i] ?? 0)).toFixed(1)} (actual ${y[i]})`,
  );
});
