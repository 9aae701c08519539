/**
 * A tiny stand-in for MNIST that a correct training pipeline learns within one short
 * epoch: 28×28 uint8 images whose class c lights the pixel band [78c, 78c + 78), on a
 * dim noisy background. Pixels and labels that reached a runner out of step would leave
 * it at chance (10 %), so the runner tests can tell a working pipeline from a broken one.
 */
import { RngStream } from '@tessera/core';

/** Band images: `examples` × 784 bytes and their class ids. */
export function bandImages(examples: number, seed = 7): { images: Uint8Array; labels: Int32Array } {
  const rng = RngStream.fromSeed(seed, 'bands');
  const images = new Uint8Array(new SharedArrayBuffer(examples * 784));
  const labels = new Int32Array(new SharedArrayBuffer(examples * 4));
  for (let i = 0; i < examples; i++) {
    const label = rng.int(10);
    labels[i] = label;
    const row = images.subarray(i * 784, (i + 1) * 784);
    for (let p = 0; p < 784; p++) row[p] = rng.int(40);
    row.fill(255, 78 * label, 78 * label + 78);
  }
  return { images, labels };
}
