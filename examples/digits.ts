// Lesson, Example 2: digits drawn as 3×5 bitmaps (15 inputs), one output per digit.
// The course gives 9 = 111101111001111 and 0 = 111101101101111.
import { tf } from '@tessera/core';
import { DIGIT_BITMAPS } from '@tessera/datasets';
import { layers, optimizers, sequential } from '@tessera/layers';

const x = DIGIT_BITMAPS.map((bits) => Array.from(bits, Number));
const y = DIGIT_BITMAPS.map((_, digit) =>
  Array.from({ length: 10 }, (_, j) => (j === digit ? 1 : 0)),
);

const model = sequential(
  [
    layers.dense({ units: 16, activation: 'relu', inputShape: [15] }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ],
  { seed: 1 },
);
model.compile({
  optimizer: optimizers.adam({ learningRate: 0.02 }),
  loss: 'categorical_crossentropy',
  metrics: ['accuracy'],
});
const history = await model.fit(x, y, { epochs: 200, batchSize: 10, verbose: 0, seed: 1 });
console.log(`trained: accuracy ${history.history.accuracy?.at(-1)?.toFixed(2)}`);

for (const [digit, bits] of [
  [9, '111101111001111'],
  [0, '111101101101111'],
] as const) {
  const p = model.predict([Array.from(bits, Number)]) as tf.Tensor;
  const probs = p.dataSync();
  const predicted = tf.argMax(p, 1).dataSync()[0];
  console.log(
    `${digit} - ${bits} → predicted ${predicted} (p = ${probs[predicted ?? 0]?.toFixed(2)})`,
  );
}
