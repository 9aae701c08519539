// A module that registers custom functions: import it wherever the model is built or
// loaded, and pass it to the trainer's `customObjects` so every worker imports it too.
// Plain JavaScript, so worker threads load it without a TypeScript runner.
import { tf } from '@tessera/core';
import { activations } from '@tessera/layers';

activations.register('my_relu', (x) => tf.maximum(x, 0));
activations.register('abs', (x) => tf.abs(x));
