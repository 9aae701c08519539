/**
 * `fit`'s options, each refused with its own message before anything runs: unknown keys
 * (as Keras refuses an unknown keyword of fit), and the types of validationData,
 * callbacks and shuffle.
 */
import { ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { type FitOptions, resolveFitOptions } from './options.js';
import { blobs, emptyBlobs } from './testing/fixtures.js';

/** The options as a caller without types (plain JavaScript) may pass them. */
const untyped = (options: Record<string, unknown>): FitOptions => options as FitOptions;

describe('resolveFitOptions', () => {
  it('refuses an unknown key, listing the keys fit takes', () => {
    const call = () => resolveFitOptions(untyped({ workers: 1, epoch: 3 }));
    expect(call).toThrow(ValueError);
    expect(call).toThrow(
      'fit: unknown option "epoch"; expected one of batchSize, callbacks, checkpoint, checkpointExtra, classWeight, customObjects, epochs, initialEpoch, loss, metrics, optimizer, printFn, resume, sampleWeight, seed, shuffle, signal, stepTimeoutMs, threads, trainingPath, validationData, validationSplit, verbose, workers. Received: epoch=3',
    );
    expect(() => resolveFitOptions(untyped({ validation_split: 0.1 }))).toThrow(
      /^fit: unknown option "validation_split"; expected one of .*validationSplit.*\. Received: validation_split=0\.1$/,
    );
  });

  it('takes every documented key (threads aside: they start threads)', () => {
    const all: Required<Omit<FitOptions, 'threads'>> = {
      workers: 1,
      epochs: 2,
      initialEpoch: 1,
      batchSize: 4,
      optimizer: 'sgd',
      loss: 'mse',
      metrics: [],
      validationSplit: 0.2,
      validationData: blobs(4),
      shuffle: false,
      seed: 3,
      callbacks: [],
      checkpoint: { dir: 'runs/x' },
      stepTimeoutMs: 1000,
      signal: new AbortController().signal,
      customObjects: [],
      verbose: 0,
      printFn: () => {},
      checkpointExtra: {},
      trainingPath: 'tfjs',
      classWeight: { 0: 2 },
      sampleWeight: [1, 1, 1, 1],
      resume: 'runs/x/checkpoints/latest.tsr',
    };
    expect(resolveFitOptions(all)).toMatchObject({ epochs: 2, initialEpoch: 1, shuffle: false });
  });

  it('refuses validationData that is not a Dataset, or has no rows', () => {
    expect(() => resolveFitOptions(untyped({ validationData: { x: [[1]], y: [[1]] } }))).toThrow(
      'fit: validationData must be a Dataset from @tessera/datasets. Received: validationData="object"',
    );
    expect(() => resolveFitOptions(untyped({ validationData: [[[1]], [[1]]] }))).toThrow(
      'Received: validationData="array"',
    );
    expect(() => resolveFitOptions({ validationData: emptyBlobs() })).toThrow(
      'fit: validationData needs at least one row (dataset "none" has none). Received: rows=0',
    );
  });

  it('refuses callbacks that are not an array', () => {
    expect(() => resolveFitOptions(untyped({ callbacks: { onEpochEnd: () => {} } }))).toThrow(
      'fit: callbacks must be an array (of Callbacks or objects of hooks). Received: callbacks="object"',
    );
  });

  it('takes shuffle only as true or false', () => {
    expect(() => resolveFitOptions(untyped({ shuffle: 'no' }))).toThrow(
      'fit: shuffle must be true or false. Received: shuffle="no"',
    );
    expect(() => resolveFitOptions(untyped({ shuffle: 0 }))).toThrow('Received: shuffle=0');
    expect(resolveFitOptions({}).shuffle).toBe(true);
    expect(resolveFitOptions({ shuffle: false }).shuffle).toBe(false);
  });
});
