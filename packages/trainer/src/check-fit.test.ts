import { ValueError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import { describe, expect, it } from 'vitest';
import { checkValidationMatches, dataMismatch } from './check-fit.js';
import { blobs, line } from './testing/fixtures.js';

/** `size` rows of 6 features with 3 target values each. */
function threeTargets(size: number, name = 'three'): Dataset {
  return new Dataset({
    name,
    task: 'regression',
    featureShape: [6],
    targetShape: [3],
    features: new Float32Array(size * 6),
    targets: new Float32Array(size * 3),
  });
}

/** blobs(size)'s features with `classes` classes. */
function classes(size: number, classes: number): Dataset {
  return new Dataset({
    name: `classes-${classes}`,
    task: 'classification',
    featureShape: [6],
    features: new Float32Array(size * 6),
    targets: new Int32Array(size),
    numClasses: classes,
  });
}

describe('checkValidationMatches', () => {
  it('takes validation data of the training data kind, whatever its size', () => {
    expect(dataMismatch(blobs(50), blobs(7, 2))).toBeUndefined();
    expect(() => checkValidationMatches(threeTargets(10), threeTargets(3))).not.toThrow();
  });

  it('refuses another task, feature shape, target shape or class count, naming both datasets', () => {
    const call = () => checkValidationMatches(threeTargets(10, 'train'), blobs(5));
    expect(call).toThrow(ValueError);
    expect(call).toThrow(
      'fit: validationData (dataset "blobs") must have the task of the training data (dataset "train"), "regression". Received: task="classification"',
    );
    expect(() => checkValidationMatches(blobs(10), line(5))).toThrow(
      'must have the task of the training data (dataset "blobs"), "classification". Received: task="regression"',
    );
    const wide = new Dataset({
      name: 'wide',
      task: 'regression',
      featureShape: [7],
      targetShape: [3],
      features: new Float32Array(7),
      targets: new Float32Array(3),
    });
    expect(() => checkValidationMatches(threeTargets(10), wide)).toThrow(
      'fit: validationData (dataset "wide") must have the featureShape of the training data (dataset "three"), [6]. Received: featureShape=[7]',
    );
    const one = new Dataset({
      name: 'one',
      task: 'regression',
      featureShape: [6],
      features: new Float32Array(6),
      targets: new Float32Array(1),
    });
    expect(() => checkValidationMatches(threeTargets(10), one)).toThrow(
      'must have the targetShape of the training data (dataset "three"), [3]. Received: targetShape=[1]',
    );
    expect(() => checkValidationMatches(classes(10, 3), classes(4, 4))).toThrow(
      'fit: validationData (dataset "classes-4") must have the numClasses of the training data (dataset "classes-3"), 3. Received: numClasses=4',
    );
    expect(dataMismatch(classes(10, 3), classes(4, 2))).toEqual({
      field: 'numClasses',
      expected: 3,
      received: 2,
    });
  });
});
