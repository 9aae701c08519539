// Lesson: keras.utils.plot_model(model, show_shapes=True). plotModel gives Graphviz DOT
// text; plotModelToFile(model, 'model.svg') draws it to a picture.
import { input, layers, plotModel, sequential } from '@tessera/layers';

const myModel = sequential(
  [
    input({ shape: [4] }),
    layers.dense({ units: 5, activation: 'relu', name: 'l1' }),
    layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
    layers.dense({ units: 1, name: 'y' }),
  ],
  { name: 'my_model' },
);
console.log(plotModel(myModel));
console.log(plotModel(myModel, { showShapes: true }));
