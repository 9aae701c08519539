import { Dataset } from '@tessera/datasets';
import { describe, expect, it } from 'vitest';
import { bandImages } from '../testing/bands.js';
import { runTessera } from './tessera.js';

describe('runTessera', () => {
  it('trains the reference network with fit and reports speed, loss and the step breakdown', async () => {
    const { images, labels } = bandImages(1280);
    const data = new Dataset({
      name: 'bands',
      task: 'classification',
      featureShape: [28, 28],
      features: images,
      featureScale: 1 / 255,
      targets: labels,
      numClasses: 10,
    });
    const run = await runTessera({ data, workers: 2, input: 'mnist' });
    expect(run.status, run.status === 'ok' ? '' : run.reason).toBe('ok');
    if (run.status !== 'ok') return;
    expect(run).toMatchObject({ runner: 'tessera', label: 'Tessera ×2', workers: 2 });
    expect(run.note).toMatch(/^resident step, (compressed|dense) input rows \(\d+% nonzero\)$/);
    expect(run.examples).toBe(1280);
    expect(run.steps).toBe(10);
    expect(run.samplesPerSecond).toBeCloseTo(1280 / run.trainSeconds, 6);
    expect(run.accuracy).toBeGreaterThan(0.6);
    expect(run.loss).toBeLessThan(1.6); // chance: ln 10 ≈ 2.30
    const b = run.breakdown!;
    for (const ms of [b.computeMs, b.reduceUpdateMs, b.waitingMs, b.otherMs]) {
      expect(ms).toBeGreaterThanOrEqual(0);
    }
    // The phases of a step fit inside the step's wall time.
    expect(b.computeMs + b.reduceUpdateMs).toBeLessThanOrEqual(
      (run.trainSeconds * 1000) / run.steps + 1e-6,
    );
    expect(run.peakRssMiB).toBeGreaterThan(0);
  });
});
