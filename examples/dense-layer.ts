// Lesson: a dense layer is Y = X·W + b; the bias trick folds b into W as a last row
// multiplied by a constant input 1.
import { tf } from '@tessera/core';
import { layers } from '@tessera/layers';

const X = tf.tensor2d([[1, 2, 3, 4]]); // 1 example, 4 inputs
const layer = layers.dense({ units: 5, inputShape: [4] });
const Y = layer.apply(X) as ReturnType<typeof tf.add>;
const [W, b] = layer.getWeights();
if (W === undefined || b === undefined) throw new Error('Dense has a kernel and a bias');
console.log(`W is ${W.shape.join('×')}, b has ${b.shape[0]} values`);

const byHand = tf.add(tf.matMul(X, W), b);
console.log('layer(X)       =', Array.from(Y.dataSync(), (v) => v.toFixed(4)).join(' '));
console.log('X·W + b        =', Array.from(byHand.dataSync(), (v) => v.toFixed(4)).join(' '));

// Bias trick: X' = [x1 x2 x3 x4 1], W' = W with b appended as a last row; Y = X'·W'.
const X1 = tf.concat([X, tf.ones([1, 1])], 1);
const W1 = tf.concat([W, tf.reshape(b, [1, 5])], 0);
const trick = tf.matMul(X1, W1);
console.log(`X' is ${X1.shape.join('×')}, W' is ${W1.shape.join('×')}`);
console.log("X'·W' (bias trick) =", Array.from(trick.dataSync(), (v) => v.toFixed(4)).join(' '));
const diff = tf.max(tf.abs(tf.sub(trick, byHand))).dataSync()[0] ?? Number.NaN;
console.log(`max difference: ${diff.toExponential(1)}`);
