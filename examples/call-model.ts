// Lesson: calling a model on a test input, x = tf.ones((3, 3)). Every row of x is the
// same, so every row of y is the same.
import { tf } from '@tessera/core';
import { layers, sequential } from '@tessera/layers';

const model = sequential(
  [
    layers.dense({ units: 2, activation: 'relu', name: 'layer1' }),
    layers.dense({ units: 3, activation: 'relu', name: 'layer2' }),
    layers.dense({ units: 4, name: 'layer3' }),
  ],
  { seed: 7 },
);
const x = tf.ones([3, 3]);
const y = model.apply(x) as tf.Tensor;
x.print();
y.print();
