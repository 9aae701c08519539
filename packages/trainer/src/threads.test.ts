import { StateError, ValueError } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { bitwiseEqual, blobs, classifier, weightsOf } from './testing/fixtures.js';
import { StartedThreads, startThreads } from './threads.js';

const data = blobs(96);
const settings = { epochs: 2, batchSize: 16, seed: 5, verbose: 0 as const };

/** The rejection of a promise that must fail. */
async function failure(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as Error,
  );
}

describe('startThreads', () => {
  it('fit trains on started threads to the weights it reaches on its own, then they are used up', async () => {
    const factory = classifier();
    const own = factory.make();
    await fit(own, data, { ...settings, workers: 2 });
    const threads = startThreads({ workers: 2 });
    expect(threads.workers).toBe(2);
    expect(threads.available).toBe(true);
    const started = factory.make();
    const history = await fit(started, data, { ...settings, threads });
    expect(history.workers).toBe(2);
    expect(bitwiseEqual(weightsOf(started), weightsOf(own))).toBe(true);
    expect(threads.available).toBe(false);
    const again = await failure(fit(factory.make(), data, { ...settings, threads }));
    expect(again).toBeInstanceOf(StateError);
    expect(again.message).toMatch(/already served a fit/);
    await threads.close(); // a fit closed them already: nothing to do
  });

  it('workers other than the started threads fail the fit, which closes them', async () => {
    const threads = startThreads({ workers: 2 });
    const err = await failure(fit(classifier().make(), data, { ...settings, threads, workers: 3 }));
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toBe(
      'fit: workers must equal the number of started threads (2). Received: workers=3',
    );
    expect(threads.available).toBe(false);
    const later = await failure(fit(classifier().make(), data, { ...settings, threads }));
    expect(later.message).toMatch(/were closed/);
  });

  it('a fit that fails before it trains closes the threads it was given', async () => {
    const threads = startThreads({ workers: 1 });
    const err = await failure(
      fit(classifier().make(), { size: 3 } as unknown as Dataset, { ...settings, threads }),
    );
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toMatch(/data must be a Dataset/);
    expect(threads.available).toBe(false);
  });

  it('threads no fit took are closed by close(), twice without harm', async () => {
    const threads = StartedThreads.start({ workers: 1 });
    await threads.close();
    await threads.close();
    expect(threads.available).toBe(false);
  });

  it('rejects bad arguments with what it expected and what it got', async () => {
    expect(() => startThreads({ workers: 0 })).toThrow(
      'startThreads: workers must be a positive integer. Received: workers=0',
    );
    expect(() => startThreads({ workers: 1.5 })).toThrow(/Received: workers=1.5/);
    expect(() => startThreads(null as never)).toThrow(/options must be an object/);
    const err = await failure(
      fit(classifier().make(), data, { ...settings, threads: {} as unknown as StartedThreads }),
    );
    expect(err).toBeInstanceOf(ValueError);
    expect(err.message).toMatch(/fit: threads must come from startThreads\(\)/);
  });
});
