// A model module as `tessera train --model examples/my-model.js` takes it (see the README):
// it imports the module that registers the custom activation `my_relu`, and exports
// createModel(). Plain JavaScript, so the CLI and its worker threads import it as it is.
// The same file serves as `--custom-objects examples/my-model.js` when a checkpoint of this
// model is opened again: importing it registers my_relu.
import './lib/my-activations.js';
import { layers, sequential } from '@tessera/layers';

/** The course's 3×5 digit network with the custom activation. */
export function createModel() {
  const model = sequential(
    [
      layers.dense({ units: 32, activation: 'my_relu', inputShape: [15] }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ],
    { name: 'digits_my_relu' },
  );
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}
