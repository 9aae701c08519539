/** Small data sets and models for the resident step's tests. */
import { Rng } from '@tessera/core';
import { sequential } from '../engine/sequential.js';
import { layers } from '../index.js';

/** uint8 rows, about 20% nonzero, every seventh row all zero. */
export function sparseBytes(rows: number, features: number, seed: number): Uint8Array {
  const rng = new Rng(seed).stream('data');
  const out = new Uint8Array(rows * features);
  for (let r = 0; r < rows; r++) {
    if (r % 7 === 3) continue;
    for (let j = 0; j < features; j++)
      if (rng.next() < 0.2) out[r * features + j] = 1 + Math.floor(rng.next() * 255);
  }
  return out;
}

export function denseFloats(rows: number, features: number, seed: number): Float32Array {
  const rng = new Rng(seed).stream('data');
  const out = new Float32Array(rows * features);
  for (let i = 0; i < out.length; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

export function oneHot(rows: number, classes: number, seed: number): Float32Array {
  const rng = new Rng(seed).stream('labels');
  const y = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) y[r * classes + Math.floor(rng.next() * classes)] = 1;
  return y;
}

export function mnistLike(hidden: string) {
  return sequential([
    layers.flatten({ inputShape: [8, 8] }),
    layers.dense({ units: 16, activation: hidden as 'relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}
