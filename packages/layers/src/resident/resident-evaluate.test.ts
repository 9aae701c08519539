import { describe, expect, it } from 'vitest';
import { losses, metrics } from '../index.js';
import { denseFloats, mnistLike, oneHot, sparseBytes } from '../testing/resident-data.js';
import { type ResidentHarness, residentHarness } from '../testing/resident-harness.js';

// evaluate() on the compressed rows of a set other than the training set (a validation
// set): the first layer reads them with that set's own scale, from any row on, and the
// loss and metrics are those of the same rows given dense.
const ROWS = 16;
const loss = losses.get('categorical_crossentropy');

function harnesses(
  train: Uint8Array,
  evaluation: { features: Uint8Array | Float32Array; scale: number },
): { sparse: ResidentHarness; dense: ResidentHarness } {
  const model = mnistLike('relu');
  model.build([null, 8, 8]);
  const make = (sparse: boolean) =>
    residentHarness(model, {
      loss,
      metrics: [metrics.get('accuracy', { loss: loss.name })],
      targets: 'one-hot',
      targetWidth: 10,
      features: train,
      featureSize: 64,
      featureScale: 1 / 255,
      maxRows: ROWS,
      sparse,
      evaluation,
    });
  // The second harness copies the weights the first one holds: both hold the same values.
  return { sparse: make(true), dense: make(false) };
}

/** Loss and accuracy of rows [from, from + ROWS) of the evaluation set, read compressed. */
function compressedValues(h: ResidentHarness, from: number, y: Float32Array): number[] {
  const input = h.evaluation;
  if (input === undefined) throw new Error('the harness has no evaluation rows');
  for (let r = 0; r < ROWS; r++) h.examples[r] = r;
  h.step.targetView.set(y.subarray(from * 10, (from + ROWS) * 10));
  h.step.evaluate({
    rows: ROWS,
    at: 0,
    params: h.params,
    compressed: { input, examples: h.examplesAt, firstRow: from },
  });
  return Array.from(h.step.values);
}

/** The same rows written dense into the step's input rows. */
function denseValues(h: ResidentHarness, from: number, x: Float32Array, y: Float32Array): number[] {
  h.step.inputRows(0, ROWS).set(x.subarray(from * 64, (from + ROWS) * 64));
  h.step.targetView.set(y.subarray(from * 10, (from + ROWS) * 10));
  h.step.evaluate({ rows: ROWS, at: 0, params: h.params });
  return Array.from(h.step.values);
}

describe('ResidentStep.evaluate on compressed rows of another set', () => {
  it.each([
    ['uint8 pixels (scale 1/255)', sparseBytes(40, 64, 6), 1 / 255],
    ['dense floats (scale 1)', denseFloats(40, 64, 7), 1],
  ] as const)(
    '%s: the dense rows’ loss and metrics within 1e-6, from any row',
    (_, features, scale) => {
      const train = sparseBytes(ROWS, 64, 5);
      const { sparse, dense } = harnesses(train, { features, scale });
      expect(sparse.step.sparseInput).toBe(true);
      expect(sparse.evaluation).toBeDefined();
      const x = Float32Array.from(features, (v) => Math.fround(v * scale));
      const y = oneHot(40, 10, 8);
      // The training gradient before any evaluation, to check evaluate leaves its scale alone.
      for (let r = 0; r < ROWS; r++) sparse.examples[r] = r;
      sparse.step.targetView.set(oneHot(ROWS, 10, 9));
      const before = sparse.gradients(ROWS, 1).slice();
      // From row 0, and from row 13 (its chunk holds the all-zero rows 17 and 24).
      for (const from of [0, 13, 24]) {
        const reference = denseValues(dense, from, x, y);
        const read = compressedValues(sparse, from, y);
        expect(read[0]).toBeGreaterThan(0);
        expect(Math.abs(read[0]! - reference[0]!), `loss from row ${from}`).toBeLessThan(1e-6);
        expect(read[1], `accuracy from row ${from}`).toBe(reference[1]);
        // Without compressed rows the step reads the dense rows the caller wrote.
        expect(denseValues(sparse, from, x, y)).toEqual(reference);
      }
      for (let r = 0; r < ROWS; r++) sparse.examples[r] = r;
      sparse.step.targetView.set(oneHot(ROWS, 10, 9));
      expect(sparse.gradients(ROWS, 1)).toEqual(before);
    },
  );

  it('a step whose first layer reads dense rows ignores compressed rows given to evaluate', () => {
    const features = sparseBytes(40, 64, 6);
    const { dense } = harnesses(sparseBytes(ROWS, 64, 5), { features, scale: 1 / 255 });
    expect(dense.step.sparseInput).toBe(false);
    const x = Float32Array.from(features, (v) => Math.fround(v / 255));
    const y = oneHot(40, 10, 8);
    const reference = denseValues(dense, 0, x, y);
    // The dense rows stay in place; compressed rows are not read.
    dense.step.targetView.set(y.subarray(0, ROWS * 10));
    expect(compressedValues(dense, 0, y)).toEqual(reference);
  });
});
