// Lesson: the neuron. y = f(z), z = Σ wᵢxᵢ + b — computed by hand, then with tensors.
import { tf } from '@tessera/core';

const x = [0.5, -1.0, 2.0];
const w = [0.4, 0.3, -0.2];
const b = 0.1;

let z = b;
for (let i = 0; i < x.length; i++) z += (w[i] ?? 0) * (x[i] ?? 0);
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
console.log(`z = Σ w·x + b = ${z.toFixed(4)}`);
console.log(`y = sigmoid(z) = ${sigmoid(z).toFixed(4)}`);

// The same neuron as a dot product of tensors.
const zt = tf.add(tf.sum(tf.mul(tf.tensor1d(x), tf.tensor1d(w))), b);
console.log(`with tensors: y = ${tf.sigmoid(zt).dataSync()[0]?.toFixed(4)}`);
