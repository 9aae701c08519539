// Lesson: your own activation — a Lambda layer (tf.abs) and a registered function my_relu,
// used by name; the model saves and loads with them because their module registers them.
import './lib/my-activations.js';
import { tf } from '@tessera/core';
import { layers, Model, sequential } from '@tessera/layers';

const withLambda = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 128 }),
  layers.lambda({ fn: 'abs' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
const withMyRelu = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 128, activation: 'my_relu' }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
const x = tf.randomNormal([2, 28, 28]);
for (const m of [withLambda, withMyRelu]) {
  const p = m.predict(x) as tf.Tensor;
  const rowSums = Array.from(tf.sum(p, 1).dataSync(), (v) => v.toFixed(3));
  console.log(`${m.layers.map((l) => l.name).join(' → ')}: row sums ${rowSums.join(', ')}`);
}
// Saved by name, rebuilt from its config: the same weights give the same outputs.
const reloaded = Model.fromJSON(withMyRelu.toJSON());
reloaded.setWeights(withMyRelu.getWeights());
const same = tf
  .equal(reloaded.predict(x) as tf.Tensor, withMyRelu.predict(x) as tf.Tensor)
  .all()
  .dataSync()[0];
console.log(`reloaded from JSON, same outputs: ${same === 1}`);
console.log(
  `my_relu([-2, 3]) = ${Array.from(tf.maximum(tf.tensor1d([-2, 3]), 0).dataSync()).join(', ')}`,
);
