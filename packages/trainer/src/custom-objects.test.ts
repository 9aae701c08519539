import { layers, sequential } from '@tessera/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, fixture } from './testing/fixtures.js';

const cube = fixture('cube-activation.mjs');

beforeAll(async () => {
  await import(cube); // the main thread registers 'soft_cube' too, as a user's script would
});

function cubeModel() {
  const m = sequential([
    layers.input({ shape: [6] }),
    layers.dense({ units: 8, activation: 'soft_cube' }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({
    optimizer: { className: 'Adam', config: { learningRate: 0.02 } },
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe('fit: customObjects', () => {
  it('trains a model with a custom activation that every worker imports', async () => {
    const history = await fit(cubeModel(), blobs(200), {
      workers: 2,
      epochs: 8,
      batchSize: 20,
      seed: 1,
      customObjects: [cube],
    });
    const loss = history.history['loss']!;
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! * 0.7);
    // A user's activation is not planned: the run says so and trains on the tfjs path.
    expect(history.trainingPath?.path).toBe('tfjs');
    expect(history.trainingPath?.reason).toMatch(
      /activation ".+" of layer ".+" is not a built-in one/,
    );
  });

  it('without the module the workers name the missing function and how to register it', async () => {
    await expect(fit(cubeModel(), blobs(40), { workers: 2, epochs: 1 })).rejects.toThrow(
      /soft_cube.*customObjects/s,
    );
  });

  it('refuses a module that does not exist, naming it', async () => {
    await expect(
      fit(cubeModel(), blobs(40), {
        workers: 1,
        epochs: 1,
        customObjects: ['/nonexistent/activations.mjs'],
      }),
    ).rejects.toThrow(
      /fit: cannot import a customObjects module .*Received: customObjects="file:\/\/\/nonexistent\/activations\.mjs"/,
    );
  });
});
