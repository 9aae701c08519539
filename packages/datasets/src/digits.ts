/**
 * The course's digit bitmaps (Example 2): each digit 0–9 drawn 3 pixels wide and 5 tall,
 * read row by row into 15 inputs of 0 or 1; ten classes, one per digit.
 *
 * The course gives 9 = 111101111001111, 0 = 111101101101111 and 1 = 001001001001001; the
 * others are drawn in the same style (`DIGIT_BITMAPS`). Ten bitmaps are too few to train
 * and test on, so the loader makes seeded noisy copies:
 *
 * - each copy flips each pixel with probability `noise`; when `noise` > 0 a copy that came
 *   out unchanged gets one random pixel flipped, so every copy differs from its clean
 *   bitmap; a copy equal to ANOTHER digit's clean bitmap is drawn again, so no example
 *   carries the wrong label for an exact digit;
 * - 'train' holds `copies` noisy copies of each digit (stream "digits/train");
 * - 'test' holds the ten clean bitmaps first (rows 0–9, digit order), then
 *   `ceil(copies / 4)` noisy copies of each digit from a different stream ("digits/test").
 *
 * Rows come copy by copy: digits 0..9 of copy 0, then of copy 1, and so on.
 *
 * ```ts
 * const train = loadDigits({ split: 'train', copies: 20, noise: 0.1, seed: 7 }); // 200 rows
 * ```
 */
import { Rng, type RngStream, received, ValueError } from '@tessera/core';
import { allocate } from './buffers.js';
import { Dataset, type Split } from './dataset.js';

/** The 3×5 bitmaps of digits 0–9, row by row (index = digit). */
export const DIGIT_BITMAPS: readonly string[] = [
  '111101101101111', // 0 (from the course)
  '001001001001001', // 1 (from the course)
  '111001111100111', // 2
  '111001111001111', // 3
  '101101111001001', // 4
  '111100111001111', // 5
  '111100111101111', // 6
  '111001001001001', // 7
  '111101111101111', // 8
  '111101111001111', // 9 (from the course)
];

/** Pixels per bitmap: 3 wide × 5 tall. */
export const DIGIT_PIXELS = 15;

/** Options for `loadDigits`. */
export interface DigitsLoadOptions {
  /** 'train' (default) or 'test'; see the module comment. */
  split?: Split;
  /** Noisy training copies per digit (the test part gets ceil(copies / 4)). Default 20. */
  copies?: number;
  /** Probability that each pixel of a copy is flipped, in [0, 0.5]. Default 0.1. */
  noise?: number;
  /** Seed of the noise. Default 0. */
  seed?: number;
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

const CLEAN = DIGIT_BITMAPS.map((bits) => Array.from(bits, Number));

function noisyCopy(digit: number, noise: number, stream: RngStream): number[] {
  const clean = CLEAN[digit]!;
  for (;;) {
    const copy = clean.map((bit) => (stream.next() < noise ? 1 - bit : bit));
    if (noise > 0 && copy.every((bit, i) => bit === clean[i])) {
      const i = stream.int(DIGIT_PIXELS);
      copy[i] = 1 - copy[i]!;
    }
    const key = copy.join('');
    if (!DIGIT_BITMAPS.some((bits, other) => other !== digit && bits === key)) return copy;
  }
}

/** The course's digits with seeded noisy copies; see the module comment. */
export function loadDigits(options: DigitsLoadOptions = {}): Dataset {
  const { split = 'train', copies = 20, noise = 0.1, seed = 0 } = options;
  if (split !== 'train' && split !== 'test') {
    throw new ValueError(received("loadDigits: split must be 'train' or 'test'", 'split', split));
  }
  if (!Number.isInteger(copies) || copies < 1) {
    throw new ValueError(
      received('loadDigits: copies must be a positive integer', 'copies', copies),
    );
  }
  if (typeof noise !== 'number' || !(noise >= 0 && noise <= 0.5)) {
    throw new ValueError(
      received('loadDigits: noise must be a probability in [0, 0.5]', 'noise', noise),
    );
  }
  const rows: number[][] = [];
  const labels: number[] = [];
  if (split === 'test') {
    CLEAN.forEach((bits, digit) => {
      rows.push(bits);
      labels.push(digit);
    });
  }
  const stream = new Rng(seed).stream(`digits/${split}`);
  const count = split === 'train' ? copies : Math.ceil(copies / 4);
  for (let c = 0; c < count; c++) {
    for (let digit = 0; digit < 10; digit++) {
      rows.push(noisyCopy(digit, noise, stream));
      labels.push(digit);
    }
  }
  const shared = options.shared === true;
  const features = allocate('float32', rows.length * DIGIT_PIXELS, shared);
  rows.forEach((row, i) => {
    features.set(row, i * DIGIT_PIXELS);
  });
  const targets = allocate('int32', labels.length, shared);
  targets.set(labels);
  return new Dataset({
    name: 'digits',
    task: 'classification',
    featureShape: [DIGIT_PIXELS],
    features,
    targets,
    classNames: DIGIT_BITMAPS.map((_, digit) => String(digit)),
  });
}
