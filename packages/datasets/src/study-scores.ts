/**
 * The course's regression table (Example 3): hours slept and hours studied → test score.
 *
 * | hours slept | hours studied | score |
 * |-------------|---------------|-------|
 * | 3           | 5             | 75    |
 * | 5           | 1             | 82    |
 * | 10          | 2             | 93    |
 *
 * Normalized as the course does: each feature column divided by its maximum
 * (`X / np.amax(X, axis=0)`, i.e. by 10 and by 5) and the score divided by 100, so
 * X = [[0.3, 1], [0.5, 0.2], [1, 0.4]] and y = [[0.75], [0.82], [0.93]].
 * `normalize: false` returns the raw table.
 *
 * The table has only three rows and no test set: 'train' and 'test' both return it.
 */
import { received, ValueError } from '@tessera/core';
import { allocate } from './buffers.js';
import { Dataset, type Split } from './dataset.js';

/** Column names of the two features. */
export const STUDY_SCORES_FEATURE_NAMES: readonly string[] = ['hours_slept', 'hours_studied'];

const HOURS: readonly (readonly [number, number])[] = [
  [3, 5],
  [5, 1],
  [10, 2],
];
const SCORES: readonly number[] = [75, 82, 93];

/** Options for `loadStudyScores`. */
export interface StudyScoresLoadOptions {
  /** 'train' or 'test'; both are the same three rows. */
  split?: Split;
  /** Divide features by their column maximum and scores by 100, as the course does. Default true. */
  normalize?: boolean;
  /** Load into SharedArrayBuffers, ready for worker threads. Default false. */
  shared?: boolean;
}

/** The course's hours → score table; see the module comment. */
export function loadStudyScores(options: StudyScoresLoadOptions = {}): Dataset {
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') {
    throw new ValueError(
      received("loadStudyScores: split must be 'train' or 'test'", 'split', split),
    );
  }
  const normalize = options.normalize ?? true;
  const columnMax = [0, 1].map((j) => Math.max(...HOURS.map((row) => row[j]!)));
  const features = allocate('float32', HOURS.length * 2, options.shared === true);
  const targets = allocate('float32', HOURS.length, options.shared === true);
  HOURS.forEach((row, i) => {
    for (let j = 0; j < 2; j++) features[i * 2 + j] = normalize ? row[j]! / columnMax[j]! : row[j]!;
    targets[i] = normalize ? SCORES[i]! / 100 : SCORES[i]!;
  });
  return new Dataset({
    name: 'study-scores',
    task: 'regression',
    featureShape: [2],
    targetShape: [1],
    features,
    targets,
    featureNames: STUDY_SCORES_FEATURE_NAMES,
  });
}
