// Lesson: a Sequential model, from a list of layers or layer by layer with `add`.
import { layers, Sequential, sequential } from '@tessera/layers';

const fromList = sequential([
  layers.dense({ units: 10, activation: 'relu', inputShape: [4] }),
  layers.dense({ units: 10, activation: 'relu' }),
  layers.dense({ units: 3 }),
]);
console.log(`from a list: ${fromList.layers.map((l) => l.name).join(', ')}`);

const withAdd = new Sequential();
withAdd.add(layers.dense({ units: 2, activation: 'relu', inputShape: [3] }));
withAdd.add(layers.dense({ units: 3, activation: 'relu' }));
withAdd.add(layers.dense({ units: 4 }));
console.log(
  `with add: ${withAdd.layers.length} layers, output shape ${JSON.stringify(withAdd.outputs[0]?.shape)}`,
);

const mnist = sequential([
  layers.flatten({ inputShape: [28, 28] }),
  layers.dense({ units: 128, activation: 'relu' }),
  layers.dense({ units: 10 }),
]);
console.log(`MNIST network: ${mnist.layers.map((l) => l.constructor.name).join(' → ')}`);
