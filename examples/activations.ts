// Lesson: commonly used activation functions — their values at a few points and a text plot.
import { tf } from '@tessera/core';
import { activations } from '@tessera/layers';

const points = [-3, -1, 0, 1, 3];
const names = [
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'swish',
  'softplus',
  'softsign',
  'hard_sigmoid',
  'exponential',
  'linear',
  'relu6',
  'mish',
] as const;

console.log(`${'x'.padEnd(13)}${points.map((p) => String(p).padStart(9)).join('')}`);
for (const name of names) {
  const f = activations.get(name);
  const y = f(tf.tensor1d(points)).dataSync();
  console.log(`${name.padEnd(13)}${Array.from(y, (v) => v.toFixed(4).padStart(9)).join('')}`);
}

// A text plot of sigmoid, tanh and relu on [-4, 4]: one column per x, one row per y step.
function plot(name: string, rows = 9, cols = 41): string[] {
  const xs = Array.from({ length: cols }, (_, i) => -4 + (8 * i) / (cols - 1));
  const ys = Array.from(activations.get(name)(tf.tensor1d(xs)).dataSync());
  const lo = Math.min(...ys, -1);
  const hi = Math.max(...ys, 1);
  const grid = Array.from({ length: rows }, () => Array<string>(cols).fill(' '));
  ys.forEach((v, c) => {
    const r = rows - 1 - Math.round(((v - lo) / (hi - lo)) * (rows - 1));
    const row = grid[r];
    if (row) row[c] = '*';
  });
  return [
    `${name} on [-4, 4], y from ${lo.toFixed(1)} to ${hi.toFixed(1)}:`,
    ...grid.map((r) => `|${r.join('')}`),
  ];
}
for (const name of ['sigmoid', 'tanh', 'relu']) console.log(plot(name).join('\n'));
