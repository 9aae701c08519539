/**
 * What the resident step (the fast path model.fit and the trainer choose on their own) must
 * refuse so that it never trains a different model than the layers describe. Found while
 * translating Keras's dropout_test.py (test_dropout_partial_noise_shape_*): a Dropout whose
 * mask is shared along an axis (`noiseShape`) is not what the resident plan's per-value
 * dropout computes.
 */
import { describe, expect, it } from 'vitest';
import { activations, layers, residentPlanReason, sequential } from '../../src/index.js';

describe('resident plan and the layer options added for Keras parity', () => {
  const base = () => layers.dense({ units: 4, inputShape: [3] });

  // The plan (packages/layers/src/resident/plan.ts, the lead's area) reads Dropout's rate and
  // seed but not noiseShape; reported to the lead rather than changed here.
  it('refuses a Dropout with a noiseShape (one mask per row is not per-value dropout)', () => {
    const m = sequential([
      layers.dense({ units: 4, inputShape: [3] }),
      layers.dropout({ rate: 0.5, noiseShape: [null, 1] }),
      layers.dense({ units: 1 }),
    ]);
    expect(residentPlanReason(m)).toMatch(/noiseShape|Dropout/);
  });

  it('refuses the other new options it does not compute', () => {
    for (const layer of [
      layers.layerNormalization({ rmsScaling: true }),
      layers.alphaDropout({ rate: 0.2, noiseShape: [null, 1] }),
      layers.relu({ threshold: 0.5 }),
    ]) {
      const m = sequential([base(), layer]);
      expect(residentPlanReason(m), layer.className).toBeDefined();
    }
  });

  it('plans a Softmax given one axis as a list like one given as a number', () => {
    const m = sequential([base(), layers.softmax({ axis: [-1] })]);
    expect(m.layers[1]?.getConfig()['axis']).toBe(-1);
    expect(residentPlanReason(m)).toBeUndefined();
  });

  it('plans a LeakyReLU given by negativeSlope with that slope', () => {
    const m = sequential([base(), layers.leakyReLU({ negativeSlope: 0.1 })]);
    expect(residentPlanReason(m)).toBeUndefined();
    expect(m.layers[1]?.getConfig()['alpha']).toBe(0.1);
  });

  it('refuses a softmax over a reshaped row: it would run over the whole row, not the last axis', () => {
    for (const softmax of [
      () => layers.softmax({}),
      () => layers.activation({ activation: 'softmax' }),
      () => layers.activation({ activation: 'log_softmax' }),
    ]) {
      const m = sequential([
        base(),
        layers.dense({ units: 8 }),
        layers.reshape({ targetShape: [2, 4] }),
        softmax(),
        layers.flatten({}),
        layers.dense({ units: 2, activation: 'softmax' }),
      ]);
      expect(residentPlanReason(m)).toMatch(/gets a rank-3 input/);
    }
    // On one row per example it is planned.
    const flat = sequential([base(), layers.dense({ units: 3, activation: 'softmax' })]);
    expect(residentPlanReason(flat)).toBeUndefined();
  });

  it('refuses a built-in activation name that the user registered over', () => {
    const builtin = activations.gelu;
    const model = () => sequential([base(), layers.dense({ units: 2, activation: 'gelu' })]);
    expect(residentPlanReason(model())).toBeUndefined();
    activations.register('gelu', (x) => activations.tanh(x), { override: true });
    try {
      expect(residentPlanReason(model())).toMatch(
        /activation "gelu" of layer "\w+" is registered over the built-in one/,
      );
      const viaLayer = sequential([base(), layers.activation({ activation: 'gelu' })]);
      expect(residentPlanReason(viaLayer)).toMatch(/registered over the built-in one/);
    } finally {
      activations.register('gelu', builtin, { override: true });
    }
    expect(residentPlanReason(model())).toBeUndefined();
  });
});
