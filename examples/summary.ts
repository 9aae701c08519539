// Lesson: model.summary(). Dense params = inputs × units + units:
// 4→2→3→3 has 10 + 9 + 12 = 31 parameters; 4→5→3→1 has 25 + 18 + 4 = 47.
import { tf } from '@tessera/core';
import { layers, sequential } from '@tessera/layers';

const small = sequential([
  layers.dense({ units: 2, activation: 'relu', name: 'l1' }),
  layers.dense({ units: 3, activation: 'relu' }),
  layers.dense({ units: 3 }),
]);
small.apply(tf.ones([1, 4])); // calling the model builds it, as in Keras
small.summary();

const myModel = sequential(
  [
    layers.dense({ units: 5, activation: 'relu', name: 'l1' }),
    layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
    layers.dense({ units: 1, name: 'y' }),
  ],
  { name: 'my_model' },
);
myModel.apply(tf.ones([2, 4]));
myModel.summary();
