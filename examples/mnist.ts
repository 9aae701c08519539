// Lesson: the MNIST network (Flatten 28×28 → Dense 128 relu → Dense 10 softmax), trained
// data-parallel on every CPU core, with the custom activation `my_relu` from
// lib/my-activations.js: every worker imports that module through `customObjects`.
// TESSERA_EXAMPLE_QUICK=1 trains one epoch on 3,000 images (what the tests run).
import { cpus } from 'node:os';
import './lib/my-activations.js';
import { tf } from '@tessera/core';
import { loadMnist } from '@tessera/datasets';
import { layers, sequential } from '@tessera/layers';
import { fit } from '@tessera/trainer';

const quick = process.env.TESSERA_EXAMPLE_QUICK === '1';
const mnist = sequential(
  [
    layers.flatten({ inputShape: [28, 28] }),
    layers.dense({ units: 128, activation: 'my_relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
  { seed: 1 },
);
mnist.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

const full = loadMnist({ split: 'train', shared: true });
const train = quick ? full.take(3000).share() : full;
const history = await fit(mnist, train, {
  workers: cpus().length, // every core (the default)
  epochs: quick ? 1 : 5,
  batchSize: 128, // examples per step across all workers
  validationSplit: 0.1,
  seed: 1, // same seed and worker count → bitwise the same weights
  checkpoint: { dir: 'runs/mnist-example', every: 1, keep: 3 },
  customObjects: [new URL('./lib/my-activations.js', import.meta.url).href],
  verbose: 1,
});
console.log(
  `${cpus().length} workers, ${Math.round(history.samplesPerSecond.at(-1) ?? 0)} examples/s`,
);

const test = loadMnist({ split: 'test' }).toTensors({ oneHot: true });
const { accuracy } = mnist.evaluate(test.x, test.y, { batchSize: 1000 });
console.log(`test accuracy: ${accuracy?.toFixed(4)}`);
tf.dispose([test.x, test.y]);
