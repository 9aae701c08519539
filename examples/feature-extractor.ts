// Lesson: getLayer and the feature extractor — a model from the input to one layer's
// output, or to every layer's output.
import { tf } from '@tessera/core';
import { input, layers, model, sequential } from '@tessera/layers';

const myModel = sequential(
  [
    input({ shape: [4] }),
    layers.dense({ units: 2, activation: 'relu', name: 'l1' }),
    layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
    layers.dense({ units: 3, name: 'y' }),
  ],
  { seed: 2 },
);
const x = tf.ones([1, 4]);

const lastLayer = model({ inputs: myModel.inputs, outputs: myModel.getLayer('y').output });
(lastLayer.predict(x) as tf.Tensor).print();

const everyLayer = model({ inputs: myModel.inputs, outputs: myModel.layers.map((l) => l.output) });
for (const features of everyLayer.predict(x) as tf.Tensor[]) features.print();
